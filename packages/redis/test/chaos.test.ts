import { request } from 'node:http';
import { createParser } from '@app/sse-protocol';
import { startCuttingProxy } from '@app/test-utils';
import { type RedisServer, startRedisServer } from '@app/test-utils/redis-server';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Instance, startInstance } from './instances';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.remove();
});

/**
 * A client that reconnects at once after every cut, to the next proxy in turn, resuming with the
 * last event ID its parser reported (what an EventSource sends). `positioned` resolves once it
 * holds an event ID (its first hello arrived whole: from then on it resumes, never starts afresh);
 * `done` with every tick it saw, once it saw `last`, and how many resets came.
 */
function roamingClient(ports: number[], last: number) {
  const ticks: number[] = [];
  let resets = 0;
  let lastEventId = '';
  let attempt = 0;
  let positioned: () => void = () => {};
  const position = new Promise<void>((resolve) => {
    positioned = resolve;
  });
  const done = new Promise<{ ticks: number[]; resets: number }>((resolve) => {
    const open = () => {
      const port = ports[attempt++ % ports.length] as number;
      let finished = false;
      const headers: Record<string, string> = lastEventId === '' ? {} : { 'Last-Event-ID': lastEventId };
      const req = request({ host: '127.0.0.1', port, path: '/events', headers }, (res) => {
        res.setEncoding('utf8');
        const parser = createParser({
          onEvent(event) {
            if (event.id !== '') {
              lastEventId = event.id;
              positioned();
            }
            if (event.event === 'sse:reset') resets += 1;
            if (event.event !== 'tick') return;
            const { n } = JSON.parse(event.data) as { n: number };
            ticks.push(n);
            if (n === last) {
              finished = true;
              req.destroy();
              resolve({ ticks, resets });
            }
          },
        });
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('close', () => {
          if (!finished) setImmediate(open);
        });
      });
      req.on('error', () => {
        if (!finished) setImmediate(open);
      });
      req.end();
    };
    open();
  });
  return { positioned: position, done };
}

it('delivers every event exactly once and in order to clients cut at random bytes and moving between instances', async () => {
  const instances: Instance[] = [
    await startInstance(redis.url, 'sse:chaos'),
    await startInstance(redis.url, 'sse:chaos'),
  ];
  const budgets = fc.sample(fc.integer({ min: 1, max: 2500 }), { seed: 20261203, numRuns: 500 });
  const proxies = await Promise.all(
    instances.map((instance) => startCuttingProxy(Number(new URL(instance.url).port), budgets)),
  );
  const ports = proxies.map((proxy) => proxy.port);
  const total = 300;
  // Every client holds a position before the first event (a first connection starts at the head).
  const clients = [0, 1, 2, 3].map((index) =>
    roamingClient(index % 2 === 0 ? ports : [...ports].reverse(), total),
  );
  await Promise.all(clients.map((client) => client.positioned));
  for (let n = 1; n <= total; n++) await (instances[n % 2] as Instance).emitter.broadcast('tick', { n });
  const results = await Promise.all(clients.map((client) => client.done));
  const expected = Array.from({ length: total }, (_, index) => index + 1);
  expect(results).toEqual(results.map(() => ({ ticks: expected, resets: 0 })));
  for (const proxy of proxies) await proxy.close();
  for (const instance of instances) await instance.close();
});
