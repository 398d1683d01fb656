import { type RedisServer, startRedisServer } from '@app/test-utils/redis-server';
import { createClient, RESP_TYPES } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, isRedisStoreError, type RedisStoreError, type RedisStoreOptions } from '../src';

let redis: RedisServer;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url });
  await client.connect();
});
afterAll(async () => {
  client.destroy();
  await redis.remove();
});

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A store on `stream` of the test's Redis, closed after the test, with the errors it reported. */
function storeOn(stream: string, options: { redis?: RedisStoreOptions['redis']; timeoutMs?: number } = {}) {
  const errors: RedisStoreError[] = [];
  const store = createRedisStore({
    redis: options.redis ?? redis.url,
    stream,
    timeoutMs: options.timeoutMs,
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => store.close?.());
  return { store, errors };
}

function append(store: ReturnType<typeof createRedisStore>, n: number) {
  const body = `event: tick\ndata: {"n":${n}}\n\n`;
  return store.append({
    channels: null,
    body,
    encode: (id) => new TextEncoder().encode(`id: ${id}\n${body}`),
  });
}

/** What the store's live feed hands on: event IDs, and `reset` for each reset. */
function heardBy(store: ReturnType<typeof createRedisStore>): string[] {
  const heard: string[] = [];
  store.subscribe?.({ onEvent: (event) => heard.push(event.id), onReset: () => heard.push('reset') });
  return heard;
}

/** A store on `key` whose live feed already handed on its first event, appended here. */
async function liveStoreOn(key: string) {
  const { store, errors } = storeOn(key);
  const heard = heardBy(store);
  const first = await append(store, 1);
  await expect.poll(() => heard, { timeout: 5000 }).toEqual([first.id]);
  return { store, errors, heard, first };
}

describe('the Redis store, when the stream is not what it expects', () => {
  it('answers a resume from a lost epoch with epoch-changed, even once the new epoch has entries', async () => {
    const { store: stale } = storeOn('sse:integrity-epoch');
    const { store: other } = storeOn('sse:integrity-epoch');
    const first = await append(stale, 1);
    for (let n = 2; n <= 5; n++) await append(stale, n);
    const [oldEpoch] = first.id.split('-');
    // The history is lost (a restart without data, a flush); another instance writes the new one.
    await client.del('sse:integrity-epoch');
    for (let n = 1; n <= 20; n++) await append(other, 100 + n);
    // This instance still knows the old epoch: the resume from it must not read the new life.
    const read = await stale.readAfter(`${oldEpoch}-3`);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toBe('epoch-changed');
    expect(read.head.split('-')[0]).not.toBe(oldEpoch);
    expect(read.head.split('-')[1]).toBe('20');
  });

  it('skips an entry another program wrote to its key, says so, and never crashes', async () => {
    const { store, errors } = storeOn('sse:integrity-foreign');
    const heard = heardBy(store);
    const first = await append(store, 1);
    const [epoch] = first.id.split('-');
    await client.sendCommand(['XADD', 'sse:integrity-foreign', '0-*', 'c', 'user:1', 'b', 'x']);
    const third = await append(store, 3);
    await expect.poll(() => heard, { timeout: 5000 }).toEqual([first.id, third.id]);
    expect(errors.map((error) => [error.code, error.message])).toContainEqual([
      'store-failed',
      expect.stringContaining('did not write (0-2)'),
    ]);
    // A resume across it is told plainly that it cannot be replayed whole.
    const read = await store.readAfter(`${epoch}-1`);
    expect(!read.ok && read.reason).toBe('evicted');
  });

  it('refuses to append after an entry another program added with a time part, plainly, and keeps its epoch', async () => {
    const key = 'sse:integrity-auto-id';
    const { store, errors, heard, first } = await liveStoreOn(key);
    // `XADD <key> * ...`: an ID with a time part, which sorts after every `0-<seq>` of the store.
    const foreign = String(await client.sendCommand(['XADD', key, '*', 'source', 'another program']));
    const failure = await append(store, 2).catch((error: unknown) => error);
    expect(isRedisStoreError(failure) && failure.code).toBe('store-failed');
    expect(String((failure as RedisStoreError).cause)).toContain(
      `entry ${foreign}, which this store did not write`,
    );
    // The live feed reads past it once and says so; it is no lost history: no reset, same head.
    await expect
      .poll(() => errors.filter((error) => error.message.includes(`did not write (${foreign})`)), {
        timeout: 5000,
      })
      .toHaveLength(1);
    expect(await store.head()).toBe(first.id);
    const read = await store.readAfter(first.id);
    expect(read).toEqual({ ok: true, events: [], head: first.id });
    expect(heard).toEqual([first.id]);
    // The feed goes on past the entry, not back over it: a blocking read or two, not a spin.
    await client.sendCommand(['CONFIG', 'RESETSTAT']);
    const xreads = async () =>
      Number(
        /cmdstat_xread:calls=(\d+)/.exec(String(await client.sendCommand(['INFO', 'commandstats'])))?.[1] ??
          0,
      );
    await expect.poll(xreads, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(await xreads()).toBeLessThan(10);
    expect(errors.filter((error) => error.message.includes(foreign))).toHaveLength(1);
  });

  it('keeps its epoch when another program reads the key through a consumer group of its own', async () => {
    const key = 'sse:integrity-group';
    const { store } = storeOn(key);
    const first = await append(store, 1);
    const [epoch] = first.id.split('-');
    // Named to sort before any epoch: Redis lists a key's groups by name.
    await client.sendCommand(['XGROUP', 'CREATE', key, '00readers', '0']);
    await client.sendCommand([
      'XREADGROUP',
      'GROUP',
      '00readers',
      'reader',
      'COUNT',
      '10',
      'STREAMS',
      key,
      '>',
    ]);
    const second = await append(store, 2);
    expect(second.id).toBe(`${epoch}-2`);
    const read = await store.readAfter(first.id);
    expect(read.ok && read.events.map((event) => event.id)).toEqual([second.id]);
  });

  it('skips an entry in its own format whose body is not one whole event, so the next event stays whole', async () => {
    const key = 'sse:integrity-body';
    const { store, errors } = storeOn(key);
    const frames: string[] = [];
    store.subscribe?.({
      onEvent: (event) => frames.push(new TextDecoder().decode(event.frame)),
      onReset: () => frames.push('reset'),
    });
    const first = await append(store, 1);
    const [epoch] = first.id.split('-');
    await client.sendCommand(['XADD', key, '0-*', 'e', epoch as string, 'c', '', 'b', 'data: half']);
    await client.sendCommand([
      'XADD',
      key,
      '0-*',
      'e',
      epoch as string,
      'c',
      '',
      'b',
      'data: a\n\ndata: b\n\n',
    ]);
    const fourth = await append(store, 4);
    await expect
      .poll(() => frames, { timeout: 5000 })
      .toEqual([
        `id: ${first.id}\nevent: tick\ndata: {"n":1}\n\n`,
        `id: ${fourth.id}\nevent: tick\ndata: {"n":4}\n\n`,
      ]);
    expect(errors.map((error) => error.message)).toEqual([
      '@app/sse-redis: skipped an entry this store did not write (0-2)',
      '@app/sse-redis: skipped an entry this store did not write (0-3)',
    ]);
  });

  it('reports an error reply of Redis as store-failed, not as Redis being away', async () => {
    await client.set('sse:integrity-wrongtype', 'a string, not a stream');
    const { store } = storeOn('sse:integrity-wrongtype');
    const failure = await append(store, 1).catch((error: unknown) => error);
    expect(isRedisStoreError(failure) && failure.code).toBe('store-failed');
  });

  it("reports the live feed's read refused by Redis as store-failed too", async () => {
    const key = 'sse:integrity-feed-wrongtype';
    const { errors } = await liveStoreOn(key);
    await client.del(key);
    await client.set(key, 'a string, not a stream');
    await expect
      .poll(() => errors.find((error) => error.message.includes('refused the live feed')), { timeout: 5000 })
      .toMatchObject({ code: 'store-failed' });
  });

  it('connects a client it is given unconnected', async () => {
    const given = createClient({ url: redis.url });
    cleanups.push(() => given.destroy());
    const { store } = storeOn('sse:integrity-unconnected', { redis: given as RedisStoreOptions['redis'] });
    const stored = await append(store, 1);
    expect(stored.seq).toBe(1);
    expect(given.isOpen).toBe(true);
  });
});

/** Saves the stream as a snapshot would, and returns what puts it back (Redis back with older data). */
async function snapshot(key: string): Promise<() => Promise<unknown>> {
  const dump = await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).sendCommand(['DUMP', key]);
  if (!Buffer.isBuffer(dump)) throw new Error(`DUMP ${key} answered no bytes`);
  return () => client.sendCommand(['RESTORE', key, '0', dump, 'REPLACE']);
}

describe('the Redis store, when Redis comes back with older data', () => {
  it('gives the events after the rewind a new epoch, so a client past it is reset, not silently short', async () => {
    const { store: publisher } = storeOn('sse:rewind-append');
    for (let n = 1; n <= 3; n++) await append(publisher, n);
    const restore = await snapshot('sse:rewind-append');
    const fifth = await Promise.all([append(publisher, 4), append(publisher, 5)]).then(([, five]) => five);
    const [oldEpoch] = fifth.id.split('-');
    await restore();
    // Without the check these would be old-epoch 4 and 5 again: different events under IDs a
    // client already holds.
    const after = [await append(publisher, 104), await append(publisher, 105)];
    expect(after.map((stored) => stored.id.split('-')[0])).not.toContain(oldEpoch);
    expect(after.map((stored) => stored.seq)).toEqual([4, 5]);
    const read = await publisher.readAfter(fifth.id);
    expect(!read.ok && read.reason).toBe('epoch-changed');
    expect(read.head).toBe(after[1]?.id);
    // The new epoch starts after the entries that survived: an ID of it before that was never given.
    const [newEpoch] = read.head.split('-');
    const forged = await publisher.readAfter(`${newEpoch}-2`);
    expect(!forged.ok && forged.reason).toBe('unknown-id');
    const resumed = await publisher.readAfter(`${newEpoch}-4`);
    expect(resumed.ok && resumed.events.map((event) => event.id)).toEqual([after[1]?.id]);
  });

  it('resets the live feed of an idle instance that saw more, which then delivers the new events', async () => {
    const { store: watcher } = storeOn('sse:rewind-feed');
    const { store: publisher } = storeOn('sse:rewind-feed');
    const heard = heardBy(watcher);
    // Its feed delivers what follows the head it read when it became ready: ready before the appends.
    await watcher.head();
    await append(publisher, 1);
    const restore = await snapshot('sse:rewind-feed');
    const second = await append(publisher, 2);
    await expect.poll(() => heard.at(-1), { timeout: 5000 }).toBe(second.id);
    await restore();
    // The watcher's feed stands past the stream's newest entry: it finds out on its own.
    await expect.poll(() => heard.at(-1), { timeout: 5000 }).toBe('reset');
    const next = await append(publisher, 3);
    expect(next.id.split('-')[0]).not.toBe(second.id.split('-')[0]);
    await expect.poll(() => heard.at(-1), { timeout: 5000 }).toBe(next.id);
  });
});

describe('the Redis store, when Redis stops answering', () => {
  it('rejects with store-unavailable within timeoutMs when Redis is frozen, and works once it answers', async () => {
    const frozen = await startRedisServer();
    cleanups.push(() => frozen.remove());
    const { store } = storeOn('sse:integrity-frozen', { redis: frozen.url, timeoutMs: 300 });
    await append(store, 1);
    process.kill(frozen.pid as number, 'SIGSTOP');
    try {
      const outcomes = await Promise.all([
        append(store, 2).catch((error: unknown) => error),
        store.head().catch((error: unknown) => error),
        store.readAfter('x-1').catch((error: unknown) => error),
      ]);
      for (const outcome of outcomes)
        expect(isRedisStoreError(outcome) && outcome.code).toBe('store-unavailable');
    } finally {
      process.kill(frozen.pid as number, 'SIGCONT');
    }
    await expect
      .poll(async () => (await append(store, 3).catch(() => undefined))?.seq !== undefined)
      .toBe(true);
  });

  it('rejects with store-unavailable within timeoutMs when Redis cannot be reached at all', async () => {
    const gone = await startRedisServer();
    const url = gone.url;
    await gone.remove();
    const { store, errors } = storeOn('sse:integrity-unreachable', { redis: url, timeoutMs: 300 });
    const outcomes = await Promise.all([
      append(store, 1).catch((error: unknown) => error),
      store.head().catch((error: unknown) => error),
    ]);
    for (const outcome of outcomes)
      expect(isRedisStoreError(outcome) && outcome.code).toBe('store-unavailable');
    expect(errors.length).toBeGreaterThan(0);
  });
});
