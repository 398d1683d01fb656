import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running {@link startRoundRobinProxy}. */
export interface RoundRobinProxy {
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and cuts every connection through it. */
  close(): Promise<void>;
}

/** Options of {@link startRoundRobinProxy}. */
export interface RoundRobinProxyOptions {
  /** The port to listen on; `0` picks a free one. */
  port: number;
  /** The interface to listen on. */
  host: string;
  /** The ports of the instances on 127.0.0.1, tried in turn. */
  targets: readonly number[];
}

/**
 * A TCP load balancer for the scale-out demo: each new connection goes to the next instance in
 * turn, and to the one after it when that instance refuses (it is down), the way a load balancer
 * with health checks behaves. It forwards bytes only (no HTTP parsing), so an event stream flows
 * through unchanged, and a connection cut on one side is cut on the other: the page sees its
 * instance go away and reconnects, through the proxy, to one that is up.
 *
 * @param options - where to listen and the instances' ports
 * @example
 * ```ts
 * const proxy = await startRoundRobinProxy({ port: 3000, host: '127.0.0.1', targets: [3001, 3002] });
 * ```
 */
export async function startRoundRobinProxy(options: RoundRobinProxyOptions): Promise<RoundRobinProxy> {
  const { targets } = options;
  const sockets = new Set<Socket>();
  let next = 0;

  function track(socket: Socket): void {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  }

  function forward(client: Socket, attempt: number): void {
    if (client.destroyed) return;
    if (attempt === targets.length) {
      client.destroy(); // every instance is down: the client retries, as after any failed attempt
      return;
    }
    const port = targets[next % targets.length] as number;
    next += 1;
    const upstream = connect({ port, host: '127.0.0.1' });
    track(upstream);
    const refused = (): void => forward(client, attempt + 1); // that instance is down: the next one
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.off('error', refused);
      upstream.on('error', () => client.destroy());
      if (client.destroyed) return void upstream.destroy();
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => {});
    forward(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : options.port,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
