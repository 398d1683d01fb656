import type { Server } from 'node:http';
import type { Http2Server, ServerHttp2Session } from 'node:http2';
import type { Server as NetServer } from 'node:net';

/** Backlog large enough that a burst of connects is never refused by the listener itself. */
const LISTEN_BACKLOG = 4096;

/**
 * Starts `server` on 127.0.0.1 with an ephemeral port.
 *
 * @param server - a node:http or node:http2 server, not yet listening
 * @returns the port
 *
 * @example
 * ```ts
 * const port = await listenOnLoopback(http.createServer(handler));
 * ```
 */
export function listenOnLoopback(server: NetServer): Promise<number> {
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

/**
 * Closes an HTTP/2 `server` and destroys its sessions (their streams never end on their own).
 *
 * @param server - a listening node:http2 server
 * @param sessions - every session it accepted and that is still open
 * @returns when the listener is closed
 *
 * @example
 * ```ts
 * await closeHttp2Server(server, sessions);
 * ```
 */
export function closeHttp2Server(server: Http2Server, sessions: Set<ServerHttp2Session>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const session of sessions) session.destroy();
  });
}

/**
 * Tracks the open sessions of an HTTP/2 server, for {@link closeHttp2Server}.
 *
 * @param server - a node:http2 server
 * @returns the live set of its open sessions
 *
 * @example
 * ```ts
 * const sessions = trackSessions(server);
 * ```
 */
export function trackSessions(server: Http2Server): Set<ServerHttp2Session> {
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  return sessions;
}
