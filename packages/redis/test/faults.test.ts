import { isSseServerError } from '@app/sse-server';
import { startRedisServer } from '@app/test-utils/redis-server';
import { afterEach, describe, expect, it } from 'vitest';
import { type Instance, type OpenStream, openStream, startInstance } from './instances';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setUp(persist: boolean) {
  const redis = await startRedisServer({ persist });
  cleanups.push(() => redis.remove());
  const a = await startInstance(redis.url, 'sse:faults');
  const b = await startInstance(redis.url, 'sse:faults');
  cleanups.push(
    () => a.close(),
    () => b.close(),
  );
  return { redis, a, b };
}

async function stream(instance: Instance, headers: Record<string, string> = {}): Promise<OpenStream> {
  const opened = await openStream(instance.url, headers);
  cleanups.push(() => opened.close());
  await opened.waitForEvents(1);
  return opened;
}

describe('Redis going away', () => {
  it('rejects publishes with store-unavailable while Redis is down, and loses nothing a publish reported stored', async () => {
    const { redis, a, b } = await setUp(true);
    const onB = await stream(b);
    const stored: number[] = [];
    for (let n = 1; n <= 10; n++) {
      await a.emitter.broadcast('tick', { n });
      stored.push(n);
    }
    await redis.stop();
    const failures: string[] = [];
    for (let n = 11; n <= 13; n++) {
      try {
        await a.emitter.broadcast('tick', { n });
        stored.push(n);
      } catch (error) {
        failures.push(isSseServerError(error) ? error.code : String(error));
      }
    }
    expect(failures).toEqual(['store-unavailable', 'store-unavailable', 'store-unavailable']);
    // The open stream is still open; Redis comes back with its data and everything goes on.
    await redis.start();
    for (let n = 14; n <= 20; n++) {
      for (;;) {
        try {
          await a.emitter.broadcast('tick', { n });
          stored.push(n);
          break;
        } catch (error) {
          // Until the client has reconnected.
          expect(isSseServerError(error) && error.code).toBe('store-unavailable');
        }
      }
    }
    await onB.waitForEvents(1 + stored.length);
    expect(onB.ticks()).toEqual(stored);
  });

  it('goes on seamlessly when Redis restarts with its data', async () => {
    const { redis, a, b } = await setUp(true);
    const onA = await stream(a);
    await b.emitter.broadcast('tick', { n: 1 });
    await onA.waitForEvents(2);
    const resumeFrom = onA.lastEventId();
    onA.close();
    await b.emitter.broadcast('tick', { n: 2 });
    await redis.stop();
    await redis.start();
    // Same epoch, same history: the resume is a replay, not a reset.
    const resumed = await openStream(b.url, { 'Last-Event-ID': resumeFrom });
    cleanups.push(() => resumed.close());
    await resumed.waitForEvents(2);
    expect(resumed.events.map((event) => event.event)).toEqual(['sse:hello', 'tick']);
    expect(resumed.ticks()).toEqual([2]);
  });

  it('tells clients sse:reset when Redis restarts without its data', async () => {
    const { redis, a, b } = await setUp(false);
    const onA = await stream(a);
    await b.emitter.broadcast('tick', { n: 1 });
    await onA.waitForEvents(2);
    const resumeFrom = onA.lastEventId();
    await redis.stop();
    await redis.start();
    // Instance a saw the history go (its stream ended); a resume there is told plainly. (Another
    // instance may notice a moment later and end its own streams then; their clients resume too.)
    await onA.ended();
    const resumed = await openStream(a.url, { 'Last-Event-ID': resumeFrom });
    cleanups.push(() => resumed.close());
    const [, reset] = await resumed.waitForEvents(2);
    expect(JSON.parse(reset?.data ?? '{}')).toEqual({ reason: 'epoch-changed', lastEventId: resumeFrom });
  });
});
