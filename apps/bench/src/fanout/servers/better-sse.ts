import { createServer } from 'node:http';
import { createChannel, createSession } from 'better-sse';
import express from 'express';
import { installedVersion } from '../../package-version';
import { TICK_EVENT, type TickPayload } from '../payload';
import type { FanoutServer } from './contract';
import { closeServer, listenOnLoopback } from './listen';

/**
 * `better-sse` as its documentation shows it, under Express 5: a session per request, registered
 * on one channel, and `channel.broadcast(data, eventName)` for every event. Its defaults are kept
 * (keep-alive comments, serializer), as a user would run it.
 *
 * @returns the listening server
 *
 * @example
 * ```ts
 * const server = await createBetterSseServer();
 * server.publish(tickPayload(1));
 * ```
 */
export async function createBetterSseServer(): Promise<FanoutServer> {
  const channel = createChannel();
  const app = express();
  app.get('/events', async (req, res) => {
    try {
      channel.register(await createSession(req, res));
    } catch {
      res.destroy();
    }
  });
  const server = createServer(app);
  const port = await listenOnLoopback(server);
  return {
    label: `better-sse ${installedVersion('better-sse')} on express ${installedVersion('express')}`,
    port,
    clients: () => channel.sessionCount,
    publish(payload: TickPayload) {
      channel.broadcast(payload, TICK_EVENT);
    },
    close: () => closeServer(server),
  };
}
