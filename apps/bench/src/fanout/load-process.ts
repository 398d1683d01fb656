// Child process that holds the benchmark's client streams and counts the ticks in their response
// bytes, with no SSE parser (the load process must stay far lighter than any server it measures).
// Over HTTP/1.1 each stream is a raw TCP socket on loopback that sends one `GET /events` (no HTTP
// client); over HTTP/2 the streams are multiplexed on node:http2 sessions, as a browser does.
import { type ClientHttp2Session, connect as connectHttp2 } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { nowMicros } from './clock';
import { createMarkerReader, type MarkerReader } from './marker-reader';
import type { LoadCommand, LoadReply, WireProtocol } from './messages';

interface Connection {
  index: number;
  reader: MarkerReader;
  /** The tick count at which this connection has everything the current expectation asks for. */
  target: number;
  /** Whether the server ended the stream. */
  isClosed(): boolean;
  /** Resolves once the stream is closed. */
  closed: Promise<void>;
  /** Ends the stream at once. */
  abort(): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_ATTEMPTS = 3;
/** Streams per HTTP/2 session: the `SETTINGS_MAX_CONCURRENT_STREAMS` browsers are usually given. */
const STREAMS_PER_SESSION = 100;
/** Flow-control windows of the HTTP/2 sessions, as Chrome sets them (6 MiB a stream, 15 MiB a session). */
const STREAM_WINDOW = 6 * 1024 * 1024;
const SESSION_WINDOW = 15 * 1024 * 1024;

const connections: Connection[] = [];
const sessions: ClientHttp2Session[] = [];
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

/** Wires a connection to the current expectation; returns its read and close handlers. */
function attach(connection: Connection): { onData: (chunk: Buffer) => void; onClose: () => void } {
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
  const onClose = () => {
    if (armed) fail(`connection #${connection.index} was closed by the server during a measurement`);
  };
  return { onData, onClose };
}

/** The promise of an emitter's `close` event. */
const closeOf = (emitter: Socket | NodeJS.EventEmitter) =>
  new Promise<void>((resolve) => emitter.once('close', () => resolve()));

/** Opens one HTTP/1.1 stream: resolves once the response headers arrived with status 200. */
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
      const connection: Connection = {
        index,
        reader: createMarkerReader(),
        target: 0,
        isClosed: () => socket.destroyed,
        closed: socket.destroyed ? Promise.resolve() : closeOf(socket),
        // An RST instead of a FIN: no TIME_WAIT sockets pile up on loopback across runs.
        abort: () => socket.resetAndDestroy(),
      };
      const { onData: onStreamData, onClose } = attach(connection);
      socket.on('data', onStreamData);
      socket.on('close', onClose);
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

/** The HTTP/2 session that carries stream `index` (a new one every {@link STREAMS_PER_SESSION}). */
function sessionFor(port: number, index: number): ClientHttp2Session {
  const slot = Math.floor(index / STREAMS_PER_SESSION);
  const open = sessions[slot];
  if (open !== undefined && !open.closed && !open.destroyed) return open;
  const session = connectHttp2(`http://127.0.0.1:${port}`, {
    settings: { initialWindowSize: STREAM_WINDOW },
  });
  session.once('connect', () => session.setLocalWindowSize(SESSION_WINDOW));
  // A session's failure reaches each of its streams, which report it.
  session.on('error', () => {});
  sessions[slot] = session;
  return session;
}

/** Opens one HTTP/2 stream: resolves once the response headers arrived with status 200. */
function openHttp2Stream(port: number, index: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const stream = sessionFor(port, index).request({ ':path': '/events', accept: 'text/event-stream' });
    stream.once('error', reject);
    stream.once('response', (headers) => {
      stream.off('error', reject);
      stream.on('error', () => {});
      const status = headers[':status'];
      if (status !== 200) {
        stream.close();
        reject(new Error(`unexpected response: HTTP/2 ${status}`));
        return;
      }
      const connection: Connection = {
        index,
        reader: createMarkerReader(),
        target: 0,
        isClosed: () => stream.closed || stream.destroyed,
        closed: closeOf(stream),
        abort: () => stream.close(),
      };
      const { onData, onClose } = attach(connection);
      stream.on('data', onData);
      stream.on('close', onClose);
      resolve(connection);
    });
  });
}

async function openWithRetry(port: number, index: number, protocol: WireProtocol): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (protocol === 'http2' ? openHttp2Stream(port, index) : openStream(port, index));
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function connectAll(
  port: number,
  count: number,
  concurrency: number,
  protocol: WireProtocol,
): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const opened: (Connection | undefined)[] = new Array(count);
  const worker = async () => {
    while (next < count) {
      const slot = next++;
      try {
        opened[slot] = await openWithRetry(port, connections.length + slot, protocol);
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
  const lost = connections.findIndex((c) => c.isClosed());
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
  for (const c of connections) c.abort();
  for (const session of sessions) session.destroy();
  await Promise.all(connections.map((c) => c.closed));
  connections.length = 0;
  sessions.length = 0;
  reply({ type: 'disconnected' });
}

process.on('message', (command: LoadCommand) => {
  const run = async () => {
    switch (command.type) {
      case 'connect':
        await connectAll(command.port, command.count, command.concurrency, command.protocol);
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
