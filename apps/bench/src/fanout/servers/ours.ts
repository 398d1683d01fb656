import { createServer, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { defineEvents } from '@app/sse-protocol';
import { createEmitter } from '@app/sse-server';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { z } from 'zod';
import { installedVersion } from '../../package-version';
import { TICK_EVENT, type TickPayload } from '../payload';
import type { FanoutServer } from './contract';
import { closeHttp2Server, closeServer, listenOnLoopback, trackSessions } from './listen';

/** The catalog a user of the SDK would write for the benchmark's one event. */
const events = defineEvents({
  [TICK_EVENT]: z.object({ '^': z.number().int(), seq: z.number().int(), pad: z.string() }),
});

/** Which of the SDK's adapters serves the stream. */
export type OursAdapter = 'express' | 'node' | 'fetch' | 'http2' | 'http2-stream';

type Emitter = ReturnType<typeof createEmitter<typeof events>>;

/** The HTTP/1.1 server of each adapter, set up as the README shows it. */
function httpServer(
  adapter: Exclude<OursAdapter, 'http2' | 'http2-stream'>,
  sse: Emitter,
): { server: Server; label: string } {
  switch (adapter) {
    case 'express': {
      const app = express();
      app.get('/events', sse.handler());
      return {
        server: createServer(app),
        label: `@app/sse-server on express ${installedVersion('express')}`,
      };
    }
    case 'node': {
      const handle = sse.handler();
      const server = createServer((req, res) => {
        if (req.url !== '/events') {
          res.writeHead(404).end();
          return;
        }
        handle(req, res);
      });
      return { server, label: '@app/sse-server on node:http' };
    }
    case 'fetch': {
      const app = new Hono();
      app.get('/events', (c) => sse.fetchHandler(c.req.raw));
      return {
        server: createAdaptorServer({ fetch: app.fetch }) as Server,
        label: `@app/sse-server fetchHandler on hono ${installedVersion('hono')} + @hono/node-server ${installedVersion('@hono/node-server')}`,
      };
    }
  }
}

/** A node:http2 server whose `/events` streams go to `sse.http2StreamHandler()`, as its README shows. */
function http2StreamServer(sse: Emitter): Http2Server {
  const handle = sse.http2StreamHandler();
  const server = createHttp2Server();
  server.on('stream', (stream, headers) => {
    if (headers[':path'] === '/events') handle(stream, headers);
    else stream.respond({ ':status': 404 }, { endStream: true });
  });
  return server;
}

/**
 * `@app/sse-server` as its README shows it, through one of its adapters: a typed catalog, the
 * in-memory replay store, shared heartbeats, and `await sse.broadcast(name, data)` for every event
 * (so each tick is validated, stored with an id, serialised once and written to every stream).
 *
 * - `express`: `app.get('/events', sse.handler())` on Express 5, the path the README leads with;
 * - `node`: `sse.handler()` as a plain `node:http` request listener;
 * - `fetch`: `sse.fetchHandler(request)` in a Hono route, served by `@hono/node-server`;
 * - `http2`: `sse.handler()` on `node:http2`'s `createServer` (cleartext h2c, the compatibility API);
 * - `http2-stream`: `sse.http2StreamHandler()` on the same server's `stream` event.
 *
 * @param adapter - which adapter serves the streams
 * @returns the listening server
 *
 * @example
 * ```ts
 * const server = await createOursServer('express');
 * await server.publish(tickPayload(1));
 * ```
 */
export async function createOursServer(adapter: OursAdapter): Promise<FanoutServer> {
  const sse = createEmitter({ events, replay: { maxEvents: 1000 }, heartbeatMs: 15_000 });
  const ours = {
    clients: () => sse.stats().clients,
    async publish(payload: TickPayload) {
      await sse.broadcast(TICK_EVENT, payload);
    },
  };
  if (adapter === 'http2' || adapter === 'http2-stream') {
    const server = adapter === 'http2' ? createHttp2Server(sse.handler()) : http2StreamServer(sse);
    const sessions = trackSessions(server);
    const port = await listenOnLoopback(server);
    return {
      ...ours,
      label:
        adapter === 'http2'
          ? '@app/sse-server on node:http2 (h2c)'
          : '@app/sse-server http2StreamHandler on node:http2 (h2c)',
      port,
      async close() {
        await sse.close();
        await closeHttp2Server(server, sessions);
      },
    };
  }
  const { server, label } = httpServer(adapter, sse);
  const port = await listenOnLoopback(server);
  return {
    ...ours,
    label,
    port,
    async close() {
      await sse.close();
      await closeServer(server);
    },
  };
}
