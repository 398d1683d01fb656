// Child process that holds the benchmark's client connections: raw TCP sockets on loopback that
// send one `GET /events` each and count the ticks in the response bytes (no HTTP client, no SSE
// parser: the load process must stay far lighter than any server it measures).
import { connect, type Socket } from 'node:net';
import { nowMicros } from './clock';
import { createMarkerReader, type MarkerReader } from './marker-reader';
import type { LoadCommand, LoadReply } from './messages';

interface Connection {
  index: number;
  socket: Socket;
  reader: MarkerReader;
  /** The tick count at which this connection has everything the current expectation asks for. */
  target: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_ATTEMPTS = 3;

const connections: Connection[] = [];
let armed = false;
let remaining = 0;
/** Latency of every expected tick, by connection then tick, when asked for. */
let latencies: Float64Array | null = null;
/** Ticks each connection expects in the current measurement. */
let perConnection = 0;
/** Read once per socket read, shared by every tick found in it. */
let receivedAt = 0;

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function reply(message: LoadReply): void {
  process.send?.(message);
}

function fail(message: string): void {
  armed = false;
  reply({ type: 'failed', message });
}

/** Wires a connection to the current expectation; returns its read handler. */
function attach(connection: Connection): (chunk: Buffer) => void {
  const onTick = (publishedAt: number) => {
    if (!armed || connection.reader.count > connection.target) return;
    if (latencies !== null) {
      const slot = connection.reader.count - connection.target + perConnection - 1;
      latencies[connection.index * perConnection + slot] = receivedAt - publishedAt;
    }
    if (--remaining === 0) {
      armed = false;
      const result = latencies;
      latencies = null;
      reply({ type: 'received', completedAt: receivedAt, latencies: result, cpuMicros: cpuMicros() });
    }
  };
  const onData = (chunk: Buffer) => {
    receivedAt = nowMicros();
    connection.reader.feed(chunk, onTick);
  };
  connection.socket.on('data', onData);
  connection.socket.on('close', () => {
    if (armed) fail(`connection #${connection.index} was closed by the server during a measurement`);
  });
  return onData;
}

/** Opens one stream: resolves once the response headers arrived with status 200. */
function openStream(port: number, index: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADER_END);
      if (end === -1) return;
      socket.off('data', onData);
      socket.off('error', reject);
      const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!/^HTTP\/1\.1 200 /.test(status)) {
        socket.destroy();
        reject(new Error(`unexpected response: ${status}`));
        return;
      }
      const connection: Connection = { index, socket, reader: createMarkerReader(), target: 0 };
      const onStreamData = attach(connection);
      const rest = head.subarray(end + HEADER_END.length);
      if (rest.length > 0) onStreamData(rest);
      resolve(connection);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
  });
}

async function openWithRetry(port: number, index: number): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openStream(port, index);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function connectAll(port: number, count: number, concurrency: number): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const opened: (Connection | undefined)[] = new Array(count);
  const worker = async () => {
    while (next < count) {
      const slot = next++;
      try {
        opened[slot] = await openWithRetry(port, connections.length + slot);
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  // Keep the list dense (indexes are latency slots) even when some connections failed.
  for (const connection of opened) {
    if (connection === undefined) continue;
    connection.index = connections.length;
    connections.push(connection);
  }
  reply({ type: 'connected', count: connections.length, failed, firstError });
}

function expect(ticks: number, withLatencies: boolean): void {
  const lost = connections.findIndex((c) => c.socket.destroyed);
  if (lost !== -1) {
    fail(`connection #${lost} was closed by the server before the measurement`);
    return;
  }
  perConnection = ticks;
  for (const connection of connections) connection.target = connection.reader.count + ticks;
  remaining = connections.length * ticks;
  latencies = withLatencies ? new Float64Array(connections.length * ticks).fill(Number.NaN) : null;
  armed = remaining > 0;
  reply({ type: 'armed', cpuMicros: cpuMicros() });
}

async function disconnectAll(): Promise<void> {
  armed = false;
  const closed = connections.map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.socket.destroyed) resolve();
        else c.socket.once('close', () => resolve());
      }),
  );
  // An RST instead of a FIN: no TIME_WAIT sockets pile up on loopback across runs.
  for (const c of connections) c.socket.resetAndDestroy();
  await Promise.all(closed);
  connections.length = 0;
  reply({ type: 'disconnected' });
}

process.on('message', (command: LoadCommand) => {
  const run = async () => {
    switch (command.type) {
      case 'connect':
        await connectAll(command.port, command.count, command.concurrency);
        return;
      case 'expect':
        expect(command.perConnection, command.latencies);
        return;
      case 'disconnect':
        await disconnectAll();
        return;
    }
  };
  run().catch((error: unknown) =>
    fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
});
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
