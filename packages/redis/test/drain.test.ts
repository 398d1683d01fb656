import { type RedisServer, startRedisServer } from '@app/test-utils/redis-server';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Instance, type OpenStream, openStream, startInstance } from './instances';

// A deploy on Redis: instance A drains while B keeps publishing; every client of A resumes on B
// from the last ID A gave it and, across both streams, gets every event once and in order.

let redis: RedisServer;
const open: (Instance | OpenStream)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.remove();
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

it('loses nothing for the clients of a draining instance that resume on another one', async () => {
  const a = await startInstance(redis.url, 'sse:test:drain');
  const b = await startInstance(redis.url, 'sse:test:drain');
  open.push(a, b);
  const first = await Promise.all([1, 2, 3, 4].map(() => openStream(a.url)));
  open.push(...first);
  await Promise.all(first.map((stream) => stream.waitForEvents(1)));

  let n = 0;
  let publishing = true;
  // B publishes throughout: A's clients get its events through A's live feed until their turn.
  const publisher = (async () => {
    while (publishing) {
      await b.emitter.broadcast('tick', { n: ++n });
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await Promise.all(first.map((stream) => stream.waitForEvents(6)));
  const draining = a.emitter.close({ drainMs: 400, retryMs: 10 });
  // Each client comes back, on B, from the last ID its stream on A gave it.
  const second = await Promise.all(
    first.map(async (stream) => {
      await stream.ended();
      const resumed = await openStream(b.url, { 'Last-Event-ID': stream.lastEventId() });
      open.push(resumed);
      return resumed;
    }),
  );
  await draining;
  await Promise.all(second.map((stream) => stream.waitForEvents(6)));
  publishing = false;
  await publisher;
  const total = n;
  await Promise.all(
    first.map((stream, index) => {
      const resumed = second[index] as OpenStream;
      return resumed.waitForEvents(1 + total - stream.ticks().length);
    }),
  );
  for (const [index, stream] of first.entries()) {
    const both = [...stream.ticks(), ...(second[index] as OpenStream).ticks()];
    expect(both).toEqual(Array.from({ length: total }, (_, k) => k + 1));
  }
});
