import { createClient, type SseClient } from '@app/sse-client';
import { createEmitter, type Emitter } from '@app/sse-server';
import { listen } from '@app/test-utils';
import { afterEach } from 'vitest';
import { events } from './catalog';

/** A real emitter on a real `node:http` server on 127.0.0.1, port 0. */
export interface LiveServer {
  readonly sse: Emitter<typeof events>;
  /** The absolute URL of the event stream. */
  readonly url: string;
  /** How many streams are open now. */
  openStreams(): number;
  /** How many streams were opened since the start. */
  opened(): number;
  /**
   * Restarts the emitter behind the same URL: a new replay store (another epoch) takes the new
   * streams, and the open ones end. A client reconnecting with an ID of before gets `sse:reset`
   * (`epoch-changed`): a reset in the middle of a test.
   */
  restart(): Promise<void>;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a {@link LiveServer}, stopped after the test. */
export async function startServer(): Promise<LiveServer> {
  let opened = 0;
  const start = () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, retryMs: 20, replay: { maxEvents: 100 } });
    const handler = emitter.handler({
      onConnect: () => {
        opened += 1;
      },
    });
    return { emitter, handler };
  };
  let current = start();
  const server = await listen((req, res) => current.handler(req, res));
  cleanups.push(
    () => current.emitter.close(),
    () => server.close(),
  );
  return {
    get sse() {
      return current.emitter;
    },
    url: `${server.origin}/events`,
    openStreams: () => current.emitter.stats().clients,
    opened: () => opened,
    async restart() {
      const previous = current;
      current = start();
      await previous.emitter.close();
    },
  };
}

/**
 * A client of `server` on the fetch transport, not connected until a hook needs it (as in a
 * server-rendered app), closed after the test.
 */
export function liveClient(
  server: LiveServer,
  options: { lastEventId?: string } = {},
): SseClient<typeof events> {
  const client = createClient({
    url: server.url,
    events,
    autoConnect: false,
    backoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  cleanups.push(() => client.close());
  return client;
}
