import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real `node:http` server on 127.0.0.1 and a free port. */
export interface TestServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1; port 0 (the default) lets the system pick a free one, so suites
 * running in parallel never collide.
 */
export async function listen(listener: RequestListener, port = 0): Promise<TestServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    origin: `http://127.0.0.1:${bound}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
