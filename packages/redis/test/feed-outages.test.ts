import { createEmitter, type LiveFeedListener, type ReplayStore, type StoredEvent } from '@app/sse-server';
import { listen, settle, startStallingProxy, waitFor } from '@app/test-utils';
import { startRedisServer } from '@app/test-utils/redis-server';
import { createClient } from '@redis/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index';
import { events, type OpenStream, openStream } from './instances';

let cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const STREAM = 'sse:feed-outages';

/**
 * A store whose live feed the test can hold back: while held, the events the real feed brings wait
 * in line, so this instance's appends return before its feed has read other instances' events.
 * Resets and outages pass straight through.
 */
function holdableFeed(store: ReplayStore) {
  let holding = false;
  const line: StoredEvent[] = [];
  let target: LiveFeedListener | undefined;
  const held: ReplayStore = {
    ...store,
    subscribe(listener) {
      target = listener;
      return (store.subscribe as NonNullable<ReplayStore['subscribe']>)({
        onEvent: (event) => (holding ? line.push(event) : listener.onEvent(event)),
        onReset: () => listener.onReset(),
        onOutage: () => listener.onOutage?.(),
      });
    },
  };
  return {
    store: held,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const event of line.splice(0)) target?.onEvent(event);
    },
  };
}

/** An emitter on `store`, served on port 0. */
async function serve(store: ReplayStore) {
  const emitter = createEmitter({ events, store, heartbeatMs: 0, retryMs: 50 });
  const server = await listen(emitter.handler());
  cleanups.push(
    () => server.close(),
    () => emitter.close(),
  );
  return { emitter, url: `${server.origin}/events` };
}

function redisStore(url: string, timeoutMs = 1000): ReplayStore {
  return createRedisStore({ redis: url, stream: STREAM, trimming: 'exact', timeoutMs, onError: () => {} });
}

async function stream(url: string): Promise<OpenStream> {
  const opened = await openStream(url);
  cleanups.push(() => opened.close());
  await opened.waitForEvents(1);
  return opened;
}

/** Whether `promise` settled within `ms`: its value, or `'pending'`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('the live feed of the Redis store, when it cannot go on as usual', () => {
  it('settles a publish appended right after an entry another program wrote, and the event arrives once', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.remove());
    const feed = holdableFeed(redisStore(redis.url));
    const { emitter, url } = await serve(feed.store);
    const client = await stream(url);
    expect(await emitter.broadcast('tick', { n: 1 })).toMatchObject({ delivered: 1 });

    // The feed is held back, and another program writes an entry, which the feed will skip.
    feed.hold();
    const admin = createClient({ url: redis.url, RESP: 2 });
    await admin.connect();
    cleanups.push(() => admin.destroy());
    await admin.sendCommand(['XADD', STREAM, '0-*', 'note', 'not an event']);
    // This append lands after the foreign entry: it waits for the feed to pass it.
    const publish = emitter.broadcast('tick', { n: 2 });
    await settle();
    feed.release();
    expect(await within(publish, 5000)).toMatchObject({ delivered: 1 });
    await client.waitForEvents(3);
    await settle();
    expect(client.ticks()).toEqual([1, 2]);
  });

  it("settles a publish held behind other instances' unread events as soon as Redis goes, and delivers it in order once Redis is back", async () => {
    const redis = await startRedisServer({ persist: true });
    cleanups.push(() => redis.remove());
    const feed = holdableFeed(redisStore(redis.url));
    const a = await serve(feed.store);
    const b = await serve(redisStore(redis.url));
    const client = await stream(a.url);
    await b.emitter.broadcast('tick', { n: 1 });
    await client.waitForEvents(2);

    feed.hold();
    await b.emitter.broadcast('tick', { n: 2 });
    // Appended after B's event, which A's feed has not handed on: A holds it behind that one.
    const held = a.emitter.broadcast('tick', { n: 3 });
    await settle();
    await redis.stop();
    expect(await within(held, 5000)).toMatchObject({ delivered: 0 });
    expect(client.ticks()).toEqual([1]);

    await redis.start();
    feed.release();
    await client.waitForEvents(4);
    expect(client.ticks()).toEqual([1, 2, 3]);
  });

  it('recovers by itself when its Redis connections die silently: the feed and the publishes go on', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.remove());
    const proxy = await startStallingProxy(Number(new URL(redis.url).port));
    cleanups.push(() => proxy.close());
    const a = await serve(redisStore(redis.url));
    const b = await serve(redisStore(`redis://127.0.0.1:${proxy.port}`, 300));
    const client = await stream(b.url);
    await a.emitter.broadcast('tick', { n: 1 });
    await client.waitForEvents(2);

    // Every connection B has to Redis now carries nothing, and nothing tells B.
    proxy.stall();
    await a.emitter.broadcast('tick', { n: 2 });
    // B's feed replaces its connection and goes on from where it was: the client, still connected, gets it.
    await waitFor(() => expect(client.ticks()).toEqual([1, 2]), { timeoutMs: 10_000 });
    // B's publishes fail (store-unavailable, in 300 ms) until its client is replaced, then succeed.
    let published = false;
    for (let attempt = 0; attempt < 20 && !published; attempt++) {
      published = await b.emitter.broadcast('tick', { n: 3 }).then(
        () => true,
        () => false,
      );
    }
    expect(published).toBe(true);
    await waitFor(() => expect(client.ticks().slice(0, 3)).toEqual([1, 2, 3]), { timeoutMs: 10_000 });
  });
});
