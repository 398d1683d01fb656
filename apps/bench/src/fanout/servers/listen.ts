import type { Server } from 'node:http';

/** Backlog large enough that a burst of connects is never refused by the listener itself. */
const LISTEN_BACKLOG = 4096;

/**
 * Starts `server` on 127.0.0.1 with an ephemeral port.
 *
 * @param server - a node:http server, not yet listening
 * @returns the port
 *
 * @example
 * ```ts
 * const port = await listenOnLoopback(http.createServer(handler));
 * ```
 */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, backlog: LISTEN_BACKLOG }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('@app/bench: no TCP address'));
      else resolve(address.port);
    });
  });
}

/**
 * Closes `server` and destroys its remaining sockets (streams never end on their own).
 *
 * @param server - a listening node:http server
 * @returns when the listener is closed
 *
 * @example
 * ```ts
 * await closeServer(server);
 * ```
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
