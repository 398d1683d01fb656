import { createParserStream, defineEvents, type ParsedEvent } from '@app/sse-protocol';
import { createEmitter, type Emitter, type ReplayStore } from '@app/sse-server';
import { listen } from '@app/test-utils';
import { z } from 'zod';
import { createRedisStore } from '../src/index';

export const events = defineEvents({ tick: z.object({ n: z.number() }) });
export type TestEmitter = Emitter<typeof events>;

/** One instance of an application: an emitter on the shared stream, served on port 0. */
export interface Instance {
  readonly emitter: TestEmitter;
  readonly store: ReplayStore;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts an instance on `stream` of the Redis at `redisUrl`. Streams authorise `?user=` as that user.
 *
 * @param redisUrl - the Redis URL
 * @param stream - the stream key
 * @param maxLen - the store's `maxLen`
 */
export async function startInstance(redisUrl: string, stream: string, maxLen = 100_000): Promise<Instance> {
  const store = createRedisStore({
    redis: redisUrl,
    stream,
    maxLen,
    trimming: 'exact',
    timeoutMs: 1000,
    onError: () => {},
  });
  const emitter = createEmitter({ events, store, heartbeatMs: 0, retryMs: 50 });
  const handler = emitter.handler({
    authorize: (req) => {
      const user = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user');
      return user === null ? true : { userId: user };
    },
  });
  const server = await listen(handler);
  return {
    emitter,
    store,
    url: `${server.origin}/events`,
    async close() {
      await emitter.close();
      await server.close();
    },
  };
}

/** A stream read with fetch and the protocol's parser. */
export interface OpenStream {
  readonly status: number;
  readonly events: ParsedEvent[];
  /** Catalog events' `n`, in order. */
  ticks(): number[];
  /** The last event ID the stream set (where a client would resume). */
  lastEventId(): string;
  /** Resolves once `count` events (protocol events included) arrived. */
  waitForEvents(count: number): Promise<ParsedEvent[]>;
  /** Resolves when the server ended the stream. */
  ended(): Promise<void>;
  close(): void;
}

/**
 * Opens a stream.
 *
 * @param url - the stream URL
 * @param headers - request headers (`Last-Event-ID`)
 */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const received: ParsedEvent[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const reading = (async () => {
    try {
      const reader = (response.body as ReadableStream<Uint8Array>)
        .pipeThrough(createParserStream())
        .getReader();
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        received.push(value);
        for (const waiter of waiters) waiter();
      }
    } catch {
      // aborted
    } finally {
      done = true;
      for (const waiter of waiters) waiter();
    }
  })();
  function until(check: () => boolean, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    if (done) return Promise.reject(new Error(`the stream ended before ${what}`));
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (check()) {
          waiters.delete(waiter);
          resolve();
        } else if (done) {
          waiters.delete(waiter);
          reject(
            new Error(
              `the stream ended before ${what}; received ${JSON.stringify(received.map((e) => e.event))}`,
            ),
          );
        }
      };
      waiters.add(waiter);
    });
  }
  return {
    status: response.status,
    events: received,
    ticks: () =>
      received.filter((event) => event.event === 'tick').map((event) => JSON.parse(event.data).n as number),
    lastEventId: () => received.at(-1)?.id ?? '',
    async waitForEvents(count) {
      await until(() => received.length >= count, `${count} events`);
      return received;
    },
    async ended() {
      await reading;
    },
    close: () => abort.abort(),
  };
}
