import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 and a free port. */
export interface TestServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1, port 0.
 *
 * @param listener - the request listener (an Express app, an emitter handler)
 */
export async function listen(listener: RequestListener): Promise<TestServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Polls `condition` until it holds.
 *
 * @param condition - checked every few milliseconds
 * @param what - named in the timeout error
 * @param timeoutMs - how long to wait
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
