import { createServer, type ServerResponse } from 'node:http';
import { rawTickFrame, type TickPayload } from '../payload';
import type { FanoutServer } from './contract';
import { closeServer, listenOnLoopback } from './listen';

/**
 * The practical limit: a minimal node:http server that encodes each event once into a Buffer and
 * writes that same Buffer to every open response. No ids from a store, no replay, no validation,
 * no backpressure handling, no heartbeats: what is left is the cost of the writes themselves.
 *
 * @returns the listening server
 *
 * @example
 * ```ts
 * const server = await createRawServer();
 * server.publish(tickPayload(1));
 * ```
 */
export async function createRawServer(): Promise<FanoutServer> {
  const responses = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (req.url !== '/events') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.write(':\n\n');
    responses.add(res);
    res.on('close', () => responses.delete(res));
  });
  const port = await listenOnLoopback(server);
  return {
    label: `raw node:http ${process.version}`,
    port,
    clients: () => responses.size,
    publish(payload: TickPayload) {
      const bytes = rawTickFrame(payload);
      for (const res of responses) res.write(bytes);
    },
    close: () => closeServer(server),
  };
}
