import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type RedisServer, startRedisServer } from '@app/test-utils/redis-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStream, startInstance } from './instances';

let redis: RedisServer;
const children: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const child of children) child.kill();
  await redis.remove();
});

/** Starts an instance in another process; resolves with its URL and a `publish(n)` that resolves with the event ID. */
async function spawnInstance(stream: string) {
  const script = fileURLToPath(new URL('./instance-process.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, redis.url, stream], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async (prefix: string) => {
    const { value } = await lines.next();
    expect(String(value)).toMatch(new RegExp(`^${prefix} `));
    return String(value).slice(prefix.length + 1);
  };
  const url = await next('ready');
  return {
    url,
    async publish(n: number) {
      child.stdin?.write(`publish ${n}\n`);
      return next('published');
    },
    /** Blocks the instance's event loop for `ms`; resolves once it has started, with a promise of its end. */
    async stall(ms: number): Promise<{ ended: Promise<string> }> {
      child.stdin?.write(`stall ${ms}\n`);
      await next('stalling');
      return { ended: next('stalled') };
    },
  };
}

it('delivers across processes, and a client resumes in another process with no gap and no duplicate', async () => {
  const other = await spawnInstance('sse:processes');
  const local = await startInstance(redis.url, 'sse:processes');
  const here = await openStream(local.url);
  const there = await openStream(other.url);
  await Promise.all([here.waitForEvents(1), there.waitForEvents(1)]);
  const ids = [
    await other.publish(1),
    (await local.emitter.broadcast('tick', { n: 2 })).id,
    await other.publish(3),
  ];
  await Promise.all([here.waitForEvents(4), there.waitForEvents(4)]);
  expect([here.ticks(), there.ticks()]).toEqual([
    [1, 2, 3],
    [1, 2, 3],
  ]);
  // One order across processes: consecutive sequence numbers, whoever published.
  const [first, second, third] = ids.map((id) => Number(id.split('-')[1]));
  expect([second, third]).toEqual([(first as number) + 1, (first as number) + 2]);
  // Cut from this process; resume in the other while both publish.
  const resumeFrom = here.lastEventId();
  here.close();
  await other.publish(4);
  await local.emitter.broadcast('tick', { n: 5 });
  const resumed = await openStream(other.url, { 'Last-Event-ID': resumeFrom });
  await other.publish(6);
  await resumed.waitForEvents(4);
  expect(resumed.ticks()).toEqual([4, 5, 6]);
  resumed.close();
  there.close();
  await local.close();
});

it('a stalled instance catches up from the stream: its clients get every event, once, in order', async () => {
  const stalled = await spawnInstance('sse:stalled');
  const local = await startInstance(redis.url, 'sse:stalled');
  const there = await openStream(stalled.url);
  await there.waitForEvents(1);
  const stall = await stalled.stall(400);
  // Published elsewhere while the instance cannot read the stream nor write to its clients.
  const all = Array.from({ length: 100 }, (_, index) => index + 1);
  for (const n of all) await local.emitter.broadcast('tick', { n });
  await stall.ended;
  await there.waitForEvents(1 + all.length);
  expect(there.ticks()).toEqual(all);
  there.close();
  await local.close();
});
