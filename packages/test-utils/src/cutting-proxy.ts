import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running {@link startCuttingProxy}. */
export interface CuttingProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** Connections through it so far. */
  readonly connections: number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of `127.0.0.1:port` that cuts each connection after a number of bytes from
 * the server, taken in turn from `budgets`: the cut lands anywhere (inside a field name, a line, a
 * multi-byte character of an event), as a network that drops a connection does.
 *
 * @param port - the server's port
 * @param budgets - bytes each successive connection may receive before it is cut
 * @example
 * ```ts
 * const proxy = await startCuttingProxy(serverPort, [120, 7, 3000]);
 * const client = createClient({ url: `http://127.0.0.1:${proxy.port}/events`, events });
 * ```
 */
export async function startCuttingProxy(port: number, budgets: readonly number[]): Promise<CuttingProxy> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    let budget = budgets[next++ % budgets.length] as number;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('data', (chunk: Buffer) => {
      if (chunk.length < budget) {
        budget -= chunk.length;
        client.write(chunk);
        return;
      }
      client.write(chunk.subarray(0, budget), cut);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    client.on('close', cut);
    upstream.on('close', cut);
    client.on('error', cut);
    upstream.on('error', cut);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    get connections() {
      return next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
