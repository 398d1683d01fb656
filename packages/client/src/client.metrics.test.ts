import { settleUntil } from '@app/test-utils';
import { expect, it } from 'vitest';
import { frame, helloFrame, resetFrame } from '../test/support/catalog';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

it('counts connections, reconnects, events, resets, duplicates, invalid and unknown events, and bytes', async () => {
  const endpoint = mockEndpoint(server, STREAM_URL);
  const increments = new Map<string, number>();
  const { client } = connect({
    random: () => 0,
    onMetric: (name, by) => increments.set(name, (increments.get(name) ?? 0) + by),
  });
  expect(client.metrics()).toEqual({
    connections: 0,
    reconnects: 0,
    backoffMs: 0,
    events: 0,
    resets: 0,
    duplicates: 0,
    invalidEvents: 0,
    skippedEvents: 0,
    bytes: 0,
  });
  await settleUntil(() => expect(client.state).toBe('open'));
  const wire =
    helloFrame() +
    frame('user:left', { userId: 'a' }, '1-1') +
    frame('user:left', { userId: 7 }, '1-2') + // fails its schema
    'event: user:left\nid: 1-3\ndata: {not json\n\n' +
    frame('order:shipped', { orderId: 'o1' }, '1-4') + // not in the catalog
    resetFrame('evicted', '1-0');
  endpoint.latest.send(wire);
  await settleUntil(() => expect(client.metrics().resets).toBe(1));
  endpoint.latest.end();
  await settleUntil(() => expect(client.metrics().connections).toBe(2));
  // The next stream replays an event the client already has: dropped as a duplicate.
  const replayed = helloFrame() + frame('user:left', { userId: 'a' }, '1-1');
  endpoint.latest.send(replayed);
  await settleUntil(() => expect(client.metrics().duplicates).toBe(1));
  expect(client.metrics()).toEqual({
    connections: 2,
    reconnects: 1,
    backoffMs: expect.any(Number),
    events: 1,
    resets: 1,
    duplicates: 1,
    invalidEvents: 2,
    skippedEvents: 1,
    bytes: new TextEncoder().encode(wire + replayed).byteLength,
  });
  // onMetric saw every increment as it happened: its sums are the counters.
  const metrics = client.metrics();
  expect(Object.fromEntries(Object.keys(metrics).map((name) => [name, increments.get(name) ?? 0]))).toEqual(
    metrics,
  );
  // A copy: reading it changes nothing, and it does not move.
  const taken = client.metrics();
  expect(client.metrics()).not.toBe(taken);
});

it('adds up the backoff waits, and reports an onMetric that throws to onError without losing the event', async () => {
  const endpoint = mockEndpoint(server, STREAM_URL);
  const errors: string[] = [];
  const { client } = connect({
    random: () => 0.5,
    backoff: { initialMs: 100, jitter: 'none' },
    onMetric: (name) => {
      if (name === 'events') throw new Error('meter down');
    },
  });
  client.onError((error) => errors.push(`${error.code}: ${error.message}`));
  const seen: unknown[] = [];
  client.on('user:left', (data) => seen.push(data));
  await settleUntil(() => expect(client.state).toBe('open'));
  endpoint.latest.send(helloFrame() + frame('user:left', { userId: 'a' }, '1-1'));
  await settleUntil(() => expect(seen).toEqual([{ userId: 'a' }]));
  expect(errors).toEqual(['handler-threw: @app/sse-client: onMetric threw: meter down']);
  endpoint.latest.end();
  await settleUntil(() => expect(client.metrics().reconnects).toBe(1));
  expect(client.metrics().backoffMs).toBe(100); // one wait of initialMs, without jitter
});
