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
 * A real store whose live feed the test can hold back: while held, the events the real feed brings
 * wait in line, so this instance's appends return before its feed has handed on the events before
 * them. Resets and outages pass straight through. It also counts the appends that returned, so a
 * test waits for that fact rather than for time.
 */
function holdableFeed(store: ReplayStore) {
  let holding = false;
  let appendsReturned = 0;
  const line: StoredEvent[] = [];
  let target: LiveFeedListener | undefined;
  const held: ReplayStore = {
    ...store,
    async append(request) {
      const stored = await store.append(request);
      appendsReturned += 1;
      return stored;
    },
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
    appendsReturned: () => appendsReturned,
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

/** What `promise` has come to so far: `'pending'` until it settles. */
function track<T>(promise: Promise<T>): () => T | 'pending' | 'rejected' {
  let state: T | 'pending' | 'rejected' = 'pending';
  promise.then(
    (value) => {
      state = value;
    },
    () => {
      state = 'rejected';
    },
  );
  return () => state;
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
    // This append lands after the foreign entry: its seq is not the next one after the last event
    // fanned out, so the emitter holds it until the feed has passed the foreign entry.
    const publish = emitter.broadcast('tick', { n: 2 });
    const state = track(publish);
    await waitFor(() => expect(feed.appendsReturned()).toBe(2));
    await settle();
    expect(state()).toBe('pending');
    feed.release();
    expect(await within(publish, 5000)).toMatchObject({ delivered: 1 });
    await waitFor(() => expect(client.ticks()).toEqual([1, 2]));
    await settle();
    expect(client.events.map((event) => event.event)).toEqual(['sse:hello', 'tick', 'tick']);
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
    const state = track(held);
    await waitFor(() => expect(feed.appendsReturned()).toBe(1));
    await settle();
    expect(state()).toBe('pending');
    await redis.stop();
    expect(await within(held, 5000)).toMatchObject({ delivered: 0 });
    // Neither B's event nor A's went out: they keep their place in line.
    expect(client.ticks()).toEqual([1]);

    await redis.start();
    feed.release();
    await waitFor(() => expect(client.ticks()).toEqual([1, 2, 3]), { timeoutMs: 10_000 });
    // And the instance publishes as before once its store has reconnected.
    await waitFor(
      () => expect(a.emitter.broadcast('tick', { n: 4 })).resolves.toMatchObject({ delivered: 1 }),
      {
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    await waitFor(() => expect(client.ticks()).toEqual([1, 2, 3, 4]));
    await settle();
    expect(client.events.map((event) => event.event)).toEqual(['sse:hello', 'tick', 'tick', 'tick', 'tick']);
  });

  it('recovers by itself when its Redis connections die silently: the feed and the publishes go on', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.remove());
    const proxy = await startStallingProxy(Number(new URL(redis.url).port));
    cleanups.push(() => proxy.close());
    const a = await serve(redisStore(redis.url));
    const b = await serve(redisStore(`redis://127.0.0.1:${proxy.port}`, 300));
    const client = await stream(b.url);
    // Both of B's connections are in use before the stall: its feed brings A's event, its own
    // client appends B's.
    await a.emitter.broadcast('tick', { n: 1 });
    await client.waitForEvents(2);
    expect(await b.emitter.broadcast('tick', { n: 2 })).toMatchObject({ delivered: 1 });

    // Every connection B has to Redis now carries nothing, and nothing tells B.
    proxy.stall();
    await a.emitter.broadcast('tick', { n: 3 });
    // B's feed replaces its connection and goes on from where it was: the client, still connected, gets it.
    await waitFor(() => expect(client.ticks()).toEqual([1, 2, 3]), { timeoutMs: 10_000 });
    // B's publishes fail (store-unavailable, in 300 ms) until its client is replaced, then succeed.
    const outcomes: string[] = [];
    while (outcomes.length < 20 && outcomes.at(-1) !== 'stored') {
      outcomes.push(
        await b.emitter.broadcast('tick', { n: 4 }).then(
          () => 'stored',
          (error: { code?: string }) => String(error.code),
        ),
      );
    }
    expect(outcomes.at(-1)).toBe('stored');
    expect(outcomes.filter((outcome) => outcome !== 'store-unavailable')).toEqual(['stored']);
    await waitFor(() => expect(client.ticks()).toEqual([1, 2, 3, 4]), { timeoutMs: 10_000 });
    await settle();
    expect(client.events.map((event) => event.event)).toEqual(['sse:hello', 'tick', 'tick', 'tick', 'tick']);
  });
});

describe('the Redis store replacing its own client', () => {
  /** A redis-server, a stalling proxy in front of it, and a store (300 ms timeout) through the proxy. */
  async function storeBehindStallingProxy() {
    const redis = await startRedisServer();
    cleanups.push(() => redis.remove());
    const proxy = await startStallingProxy(Number(new URL(redis.url).port));
    cleanups.push(() => proxy.close());
    return { redis, proxy, store: redisStore(`redis://127.0.0.1:${proxy.port}`, 300) };
  }

  it("keeps the feed's starting point: a feed that starts after a replacement still brings what was appended before it", async () => {
    const { proxy, store } = await storeBehindStallingProxy();
    cleanups.push(() => store.close?.());
    const appended = await store.append({
      channels: null,
      body: 'event: tick\ndata: {"n":1}\n\n',
      encode: (id) => new TextEncoder().encode(`id: ${id}\nevent: tick\ndata: {"n":1}\n\n`),
    });
    // The store's connection dies silently: the next command times out and the client is replaced.
    proxy.stall();
    await expect(store.head()).rejects.toMatchObject({ code: 'store-unavailable' });
    // A feed starting now (the first attempts of a feed can fail while Redis is away) still starts
    // from the head as it was before this process's first append.
    const brought: StoredEvent[] = [];
    const stop = (store.subscribe as NonNullable<ReplayStore['subscribe']>)({
      onEvent: (event) => brought.push(event),
      onReset: () => {},
    });
    cleanups.push(stop);
    await waitFor(() => expect(brought.map((event) => event.id)).toEqual([appended.id]), {
      timeoutMs: 10_000,
    });
  });

  it('opens no connection once closed', async () => {
    const { redis, proxy, store } = await storeBehindStallingProxy();
    await store.head();
    proxy.stall();
    await expect(store.head()).rejects.toMatchObject({ code: 'store-unavailable' });
    await store.close?.();
    await expect(store.head()).rejects.toMatchObject({ code: 'store-unavailable' });
    const admin = createClient({ url: redis.url, RESP: 2 });
    await admin.connect();
    cleanups.push(() => admin.destroy());
    // Only this admin client: a client the store connected after close() would be one more.
    const clients = String(await admin.sendCommand(['CLIENT', 'LIST']))
      .trim()
      .split('\n');
    expect(clients).toHaveLength(1);
  });
});
