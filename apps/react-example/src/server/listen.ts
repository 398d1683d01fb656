import type { Server } from 'node:http';
import type { Express } from 'express';

/** Starts `app` on `port` (0: any free one) and resolves with the server and its port. */
export function listenOn(
  app: Express,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) reject(error);
      else resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}
