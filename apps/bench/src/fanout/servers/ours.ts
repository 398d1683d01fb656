import { createServer } from 'node:http';
import { defineEvents } from '@app/sse-protocol';
import { createEmitter } from '@app/sse-server';
import { z } from 'zod';
import { TICK_EVENT, type TickPayload } from '../payload';
import type { FanoutServer } from './contract';
import { closeServer, listenOnLoopback } from './listen';

/** The catalog a user of the SDK would write for the benchmark's one event. */
const events = defineEvents({
  [TICK_EVENT]: z.object({ '^': z.number().int(), seq: z.number().int(), pad: z.string() }),
});

/**
 * `@app/sse-server` as its README shows it, on plain node:http: a typed catalog, the in-memory
 * replay store, shared heartbeats, and `await sse.broadcast(name, data)` for every event (so each
 * tick is validated, stored with an id, serialised once and written to every stream).
 *
 * @returns the listening server
 *
 * @example
 * ```ts
 * const server = await createOursServer();
 * await server.publish(tickPayload(1));
 * ```
 */
export async function createOursServer(): Promise<FanoutServer> {
  const sse = createEmitter({ events, replay: { maxEvents: 1000 }, heartbeatMs: 15_000 });
  const handle = sse.handler();
  const server = createServer((req, res) => {
    if (req.url !== '/events') {
      res.writeHead(404).end();
      return;
    }
    handle(req, res);
  });
  const port = await listenOnLoopback(server);
  return {
    label: '@app/sse-server (this repository)',
    port,
    clients: () => sse.stats().clients,
    async publish(payload: TickPayload) {
      await sse.broadcast(TICK_EVENT, payload);
    },
    async close() {
      await sse.close();
      await closeServer(server);
    },
  };
}
