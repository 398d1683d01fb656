import { type RedisServer, startRedisServer } from '@app/test-utils/redis-server';
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Instance, type OpenStream, openStream, startInstance } from './instances';

let redis: RedisServer;
let open: (Instance | OpenStream)[] = [];
let streamNumber = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.remove();
});
afterEach(async () => {
  for (const item of open.reverse()) await ('emitter' in item ? item.close() : item.close());
  open = [];
});

/** Instances of one application (a stream key of their own per test). */
async function cluster(count: number, maxLen?: number): Promise<Instance[]> {
  const stream = `sse:test:${++streamNumber}`;
  const instances: Instance[] = [];
  for (let index = 0; index < count; index++) instances.push(await startInstance(redis.url, stream, maxLen));
  open.push(...instances);
  return instances;
}

async function stream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const opened = await openStream(url, headers);
  open.push(opened);
  await opened.waitForEvents(1); // sse:hello: registered for live events
  return opened;
}

describe('several instances on one Redis stream', () => {
  it('delivers a publish of any instance to the matching streams of every instance, once, in one order', async () => {
    const [a, b, c] = await cluster(3);
    const onA = await stream(`${a?.url}`);
    const onB = await stream(`${b?.url}`);
    const adaOnC = await stream(`${c?.url}?user=ada`);
    const bobOnB = await stream(`${b?.url}?user=bob`);
    const results = [];
    for (let n = 1; n <= 30; n++) {
      const from = [a, b, c][n % 3] as Instance;
      results.push(await from.emitter.broadcast('tick', { n }));
    }
    await b?.emitter.to('user:ada').send('tick', { n: 100 });
    await a?.emitter.to('user:bob').send('tick', { n: 200 });
    const all = Array.from({ length: 30 }, (_, index) => index + 1);
    await Promise.all([
      onA.waitForEvents(31),
      onB.waitForEvents(31),
      adaOnC.waitForEvents(32),
      bobOnB.waitForEvents(32),
    ]);
    expect([onA.ticks(), onB.ticks(), adaOnC.ticks(), bobOnB.ticks()]).toEqual([
      all,
      all,
      [...all, 100],
      [...all, 200],
    ]);
    // One global order: IDs grow by one per event, whichever instance published.
    expect(results.map((result) => Number(result.id.split('-')[1]))).toEqual(all.map((n) => n));
    // A publish reports the deliveries of its own instance.
    // A publish reports the deliveries on its own instance: n = 1 came from b, which serves two of them.
    expect(results[0]?.delivered).toBe(2);
  });

  it('resolves a publish made right after the emitter was created, before any stream opened', async () => {
    const [a, b] = await cluster(2);
    const results = await Promise.all([
      a?.emitter.broadcast('tick', { n: 1 }),
      b?.emitter.broadcast('tick', { n: 2 }),
    ]);
    expect(results.map((result) => result?.delivered)).toEqual([0, 0]);
    const onA = await stream(`${a?.url}`);
    await b?.emitter.broadcast('tick', { n: 3 });
    await onA.waitForEvents(2);
    expect(onA.ticks()).toEqual([3]);
  });

  it('resumes on another instance with exactly what was missed while another keeps publishing', async () => {
    const [a, b] = await cluster(2);
    const first = await stream(`${a?.url}?user=ada`);
    for (let n = 1; n <= 5; n++) await a?.emitter.broadcast('tick', { n });
    await first.waitForEvents(6);
    const resumeFrom = first.lastEventId();
    first.close();
    const publishing = (async () => {
      for (let n = 6; n <= 40; n++) await a?.emitter.broadcast('tick', { n });
    })();
    // Another user's private events never reach this client, live or replayed.
    await a?.emitter.to('user:bob').send('tick', { n: -1 });
    const resumed = await stream(`${b?.url}?user=ada`, { 'Last-Event-ID': resumeFrom });
    await publishing;
    await b?.emitter.to('user:ada').send('tick', { n: 41 });
    await resumed.waitForEvents(1 + 36);
    expect(resumed.ticks()).toEqual(Array.from({ length: 36 }, (_, index) => index + 6));
  });

  it('answers sse:reset for an ID the stream no longer holds, one never issued, or one of another stream', async () => {
    const [a] = await cluster(1, 5);
    const other = (await cluster(1))[0] as Instance;
    const first = await stream(`${a?.url}`);
    const start = first.lastEventId();
    for (let n = 1; n <= 12; n++) await a?.emitter.broadcast('tick', { n });
    const foreign = (await other.emitter.broadcast('tick', { n: 1 })).id;
    const [epoch, seq] = start.split('-');
    for (const [id, reason] of [
      [start, 'evicted'],
      [`${epoch}-${Number(seq) + 99}`, 'unknown-id'],
      [foreign, 'epoch-changed'],
    ] as const) {
      const resumed = await stream(`${a?.url}`, { 'Last-Event-ID': id });
      const [, reset] = await resumed.waitForEvents(2);
      expect({ event: reset?.event, data: JSON.parse(reset?.data ?? '{}') }).toEqual({
        event: 'sse:reset',
        data: { reason, lastEventId: id },
      });
      // The reset carries the head: the client goes on from there.
      expect(reset?.id).toBe(`${epoch}-12`);
    }
    const exact = await stream(`${a?.url}`, { 'Last-Event-ID': `${epoch}-8` });
    await exact.waitForEvents(5);
    expect(exact.ticks()).toEqual([9, 10, 11, 12]);
  });

  it.each([
    ['FLUSHALL', () => ['FLUSHALL']],
    ['the stream key deleted', (key: string) => ['DEL', key]],
  ] as const)(
    'tells every client plainly when the history is lost (%s), and goes on in a new epoch',
    async (_, command) => {
      const [a, b] = await cluster(2);
      const key = `sse:test:${streamNumber}`;
      const client = await stream(`${b?.url}`);
      await a?.emitter.broadcast('tick', { n: 1 });
      await client.waitForEvents(2);
      const before = client.lastEventId();
      const admin = createClient({ url: redis.url, RESP: 2 });
      await admin.connect();
      await admin.sendCommand([...command(key)]);
      await admin.destroy();
      // The open stream ends (its instance saw the epoch go); resuming gets a reset, never a gap.
      await client.ended();
      await a?.emitter.broadcast('tick', { n: 2 });
      const resumed = await stream(`${b?.url}`, { 'Last-Event-ID': before });
      const [, reset] = await resumed.waitForEvents(2);
      expect(JSON.parse(reset?.data ?? '{}')).toEqual({ reason: 'epoch-changed', lastEventId: before });
      await a?.emitter.broadcast('tick', { n: 3 });
      await resumed.waitForEvents(3);
      expect(resumed.ticks()).toEqual([3]);
      expect(reset?.id.split('-')[0]).not.toBe(before.split('-')[0]);
    },
  );
});
