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
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a {@link LiveServer}, stopped after the test. */
export async function startServer(): Promise<LiveServer> {
  const sse = createEmitter({ events, heartbeatMs: 0, retryMs: 20, replay: { maxEvents: 100 } });
  let opened = 0;
  const server = await listen(
    sse.handler({
      onConnect: () => {
        opened += 1;
      },
    }),
  );
  cleanups.push(
    () => sse.close(),
    () => server.close(),
  );
  return {
    sse,
    url: `${server.origin}/events`,
    openStreams: () => sse.stats().clients,
    opened: () => opened,
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
