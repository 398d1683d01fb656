import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import { installedVersion } from '../../package-version';
import { rawTickFrame, type TickPayload } from '../payload';
import type { FanoutServer } from './contract';
import { closeServer, listenOnLoopback } from './listen';

/**
 * Where the raw writer's handler runs: as the `node:http` request listener itself, or as an
 * Express 5 route (`app.get('/events', handler)`), the same code under the framework.
 */
export type RawFramework = 'node' | 'express';

/**
 * The practical limit: a minimal node:http server that encodes each event once into a Buffer and
 * writes that same Buffer to every open response. No ids from a store, no replay, no validation,
 * no backpressure handling, no heartbeats: what is left is the cost of the writes themselves.
 * Mounted in Express, the difference from the plain listener is what Express itself costs a
 * stream (its per-request objects and hidden classes), which no route handler can avoid.
 *
 * @param framework - plain node:http (the reference of every HTTP/1.1 target) or under Express 5
 * @returns the listening server
 *
 * @example
 * ```ts
 * const server = await createRawServer('express');
 * server.publish(tickPayload(1));
 * ```
 */
export async function createRawServer(framework: RawFramework): Promise<FanoutServer> {
  const responses = new Set<ServerResponse>();
  const stream = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.write(':\n\n');
    responses.add(res);
    res.on('close', () => responses.delete(res));
  };
  let server: ReturnType<typeof createServer>;
  if (framework === 'express') {
    const app = express();
    app.get('/events', stream);
    server = createServer(app);
  } else {
    server = createServer((req, res) => {
      if (req.url === '/events') stream(req, res);
      else res.writeHead(404).end();
    });
  }
  const port = await listenOnLoopback(server);
  return {
    label:
      framework === 'express'
        ? `raw writer on express ${installedVersion('express')}`
        : `raw node:http ${process.version}`,
    port,
    clients: () => responses.size,
    publish(payload: TickPayload) {
      const bytes = rawTickFrame(payload);
      for (const res of responses) res.write(bytes);
    },
    close: () => closeServer(server),
  };
}
