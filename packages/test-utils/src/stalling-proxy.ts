import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running {@link startStallingProxy}. */
export interface StallingProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /**
   * From now on, the connections open so far carry nothing either way and are never closed: a
   * connection that died silently (a lost NAT entry, a failover), with no FIN and no RST. New
   * connections are carried as usual.
   */
  stall(): void;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of `127.0.0.1:port` whose open connections can be made to die silently
 * ({@link StallingProxy.stall}), while new ones still get through: what a client sees when the
 * network loses its connection without telling either end.
 *
 * @param port - the server's port
 * @example
 * ```ts
 * const proxy = await startStallingProxy(redisPort);
 * const store = createRedisStore({ redis: `redis://127.0.0.1:${proxy.port}`, stream: 'sse:test' });
 * proxy.stall(); // the store's connections hang; the ones it opens next work
 * ```
 */
export async function startStallingProxy(port: number): Promise<StallingProxy> {
  const sockets = new Set<Socket>();
  const stalled = new WeakSet<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      // A socket error ends the pair, as a network would end both sides.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const carry = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (!stalled.has(from)) to.write(chunk);
      });
    carry(client, upstream);
    carry(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stall() {
      for (const socket of sockets) stalled.add(socket);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
