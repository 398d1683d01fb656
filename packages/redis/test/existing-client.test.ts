import { type RedisServer, startRedisServer } from '@app/test-utils/redis-server';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisStore } from '../src';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.remove();
});

it('works on a client the application made, and leaves it open on close()', async () => {
  const client = createClient({ url: redis.url });
  await client.connect();
  const store = createRedisStore({ redis: client, stream: 'sse:own-client', onError: () => {} });
  const heard: string[] = [];
  const stop = store.subscribe?.({ onEvent: (event) => heard.push(event.id), onReset: () => {} });
  const appended = await store.append({
    channels: ['user:u1'],
    body: 'event: tick\ndata: {"n":1}\n\n',
    encode: (id) => new TextEncoder().encode(`id: ${id}\nevent: tick\ndata: {"n":1}\n\n`),
  });
  const read = await store.readAfter(`${appended.id.split('-')[0]}-0`);
  expect(read.ok && read.events.map((event) => [event.id, event.channels])).toEqual([
    [appended.id, ['user:u1']],
  ]);
  await expect.poll(() => heard).toEqual([appended.id]);
  stop?.();
  await store.close?.();
  // The application's client is still its own, and still connected.
  expect(client.isOpen).toBe(true);
  expect(await client.ping()).toBe('PONG');
  client.destroy();
});
