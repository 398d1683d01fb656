import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  connect as tcpConnect,
} from 'node:net';

/** A TCP proxy in front of a server that can break its connections the way networks do. */
export interface FaultyProxy {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /**
   * Cuts the next server chunk that holds event data in the middle of that event: forwards it
   * up to a few bytes into its `data:` line, then destroys both sides.
   */
  cutMidEvent(): void;
  /** Cuts done so far. */
  readonly cuts: number;
  /** Keeps the open connections up but stops forwarding anything the server sends on them. */
  stallOpenConnections(): void;
  close(): Promise<void>;
}

/** Starts a {@link FaultyProxy} on 127.0.0.1 in front of `targetPort`. */
export async function faultyProxy(targetPort: number): Promise<FaultyProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; stalled: boolean }>();
  let connections = 0;
  let cutPending = false;
  let cuts = 0;
  const server = createTcpServer((client) => {
    connections++;
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    const pair = { client, upstream, stalled: false };
    pairs.add(pair);
    const destroy = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', destroy).on('close', destroy);
    upstream.on('error', destroy).on('close', destroy);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (pair.stalled) return;
      const data = chunk.indexOf('data:');
      if (cutPending && data !== -1) {
        cutPending = false;
        cuts++;
        client.write(chunk.subarray(0, data + 8), () => destroy());
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    cutMidEvent() {
      cutPending = true;
    },
    stallOpenConnections() {
      for (const pair of pairs) pair.stalled = true;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
