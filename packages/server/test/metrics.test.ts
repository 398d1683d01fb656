import { waitFor } from '@app/test-utils';
import express from 'express';
import { describe, expect, it } from 'vitest';
import {
  createEmitter,
  createMemoryStore,
  httpError,
  PROMETHEUS_CONTENT_TYPE,
  type ReplayStore,
} from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** Opens a stream and waits until it is live (its hello arrived). */
async function openLive(url: string, headers: Record<string, string> = {}) {
  const raw = await fixture.open(url, { headers });
  await raw.waitForEvents(1);
  return raw;
}

describe('sse.metrics()', () => {
  it('counts streams opened and ended, by adapter and reason, and groups open ones by channel count', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, meter: null });
    const app = express();
    app.get(
      '/events',
      sse.handler({
        authorize: (req: express.Request) => ({ userId: req.get('x-user') ?? 'anonymous' }),
        channels: (req: express.Request) => (req.get('x-rooms') ?? '').split(',').filter(Boolean),
      }),
    );
    const url = await fixture.serve(sse, app);
    const plain = await openLive(url, { 'x-user': 'ada' });
    await openLive(url, { 'x-user': 'grace', 'x-rooms': 'r1,r2,r3' });
    const fetched = await sse.fetchHandler(new Request('http://localhost/events'));
    const reader = fetched.body?.getReader();
    await reader?.read();

    expect(sse.metrics().opened).toEqual({ node: 2, http2: 0, fetch: 1 });
    expect(sse.metrics().connections).toEqual(
      expect.arrayContaining([
        { adapter: 'node', channels: '2', count: 1 }, // client:<id> and user:ada
        { adapter: 'node', channels: '5-8', count: 1 }, // client, user and three rooms
        { adapter: 'fetch', channels: '1', count: 1 },
      ]),
    );
    plain.destroy();
    await waitFor(() => expect(sse.metrics().closed['client-gone']).toBe(1));
    await reader?.cancel();
    await waitFor(() => expect(sse.metrics().closed['client-gone']).toBe(2));
    await sse.close();
    expect(sse.metrics().closed).toEqual({
      'client-gone': 2,
      'slow-consumer': 0,
      closed: 1,
      'store-failed': 0,
    });
    // Every group reported before stays, at 0: an exporter must not keep its last count.
    expect(sse.metrics().connections).toEqual(
      expect.arrayContaining([
        { adapter: 'node', channels: '2', count: 0 },
        { adapter: 'node', channels: '5-8', count: 0 },
        { adapter: 'fetch', channels: '1', count: 0 },
      ]),
    );
    expect(sse.metrics().connections).toHaveLength(3);
  });

  it('counts refusals by reason, never by who was refused', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, maxClients: 1, meter: null });
    const app = express();
    app.all(
      '/events',
      sse.handler({
        authorize: (req: express.Request) => {
          const user = req.get('x-user');
          if (user === undefined) return false;
          if (user === 'banned') throw httpError(403, 'banned');
          if (user === 'teapot') throw httpError(418, 'short and stout');
          return { userId: user };
        },
      }),
    );
    const url = await fixture.serve(sse, app);
    const refused = async (headers: Record<string, string>, method?: string) => {
      const raw = await fixture.open(url, { headers, ...(method ? { method } : {}) });
      await raw.waitForEnd();
    };
    await refused({});
    await refused({ 'x-user': 'banned' });
    await refused({ 'x-user': 'teapot' });
    await refused({ 'x-user': 'ada', 'Last-Event-ID': 'not an id' });
    await refused({ 'x-user': 'ada' }, 'POST');
    const live = await openLive(url, { 'x-user': 'ada' });
    await refused({ 'x-user': 'grace' }); // maxClients: 1
    const closing = sse.close({ drainMs: 60_000 });
    const late = await fixture.open(url, { headers: { 'x-user': 'grace' } }); // draining
    expect(late.status).toBe(503);
    expect(sse.metrics().refused).toEqual({
      'bad-request': 1,
      'method-not-allowed': 1,
      unauthorized: 1,
      forbidden: 1,
      rejected: 1,
      limit: 1,
      shutdown: 1,
      'store-unavailable': 0,
      error: 0,
    });
    live.destroy();
    await closing;
  });

  it('counts events by type, deliveries live and replayed, replays with their size, and resets by reason', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, replay: { maxEvents: 3 }, meter: null });
    const url = await fixture.serve(sse);
    const live = await openLive(url);
    const { id: first } = await sse.broadcast('tick', { n: 1 });
    await sse.broadcast('tick', { n: 2 });
    await sse.broadcast('notification', { message: 'hi' });
    await live.waitForEvents(4);

    const resumed = await fixture.open(url, { headers: { 'Last-Event-ID': first } });
    await resumed.waitForEvents(3); // hello and the two events after `first`
    for (let n = 3; n <= 6; n++) await sse.broadcast('tick', { n });
    const evicted = await fixture.open(url, { headers: { 'Last-Event-ID': first } });
    await evicted.waitForEvents(2); // hello and sse:reset
    const foreign = await fixture.open(url, { headers: { 'Last-Event-ID': 'otherepoch-5' } });
    await foreign.waitForEvents(2);

    const metrics = sse.metrics();
    expect(metrics.published).toEqual({ tick: 6, notification: 1 });
    expect(metrics.delivered.replay).toBe(2);
    expect(metrics.delivered.live).toBe(3 + 4 + 4); // the first stream: 7 events; the resumed: 4
    expect(metrics.replays).toBe(1);
    expect(metrics.replaySize).toMatchObject({ count: 1, sum: 2 });
    expect(metrics.replaySize.counts[2]).toBe(1); // the bucket (1, 10]
    expect(metrics.resets).toEqual({ evicted: 1, 'epoch-changed': 1, 'unknown-id': 0 });
    expect(metrics.publishDuration.count).toBe(7);
    expect(metrics.storeDuration.append.count).toBe(7);
    expect(metrics.storeDuration.read.count).toBe(4); // every stream reads once
    expect(metrics.storeDuration.head.count).toBe(1); // the one without an ID starts at the head
    expect(metrics.written).toBe(sse.stats().bytes);
  });

  it('counts heartbeats and store errors, and times the store calls', async () => {
    const memory = createMemoryStore();
    let failing = false;
    const store: ReplayStore = {
      append: (request) => (failing ? Promise.reject(new Error('disk full')) : memory.append(request)),
      readAfter: (id) => memory.readAfter(id),
      head: () => memory.head(),
    };
    const sse = createEmitter({ events, store, heartbeatMs: 20, meter: null, onError: () => undefined });
    const url = await fixture.serve(sse);
    const raw = await openLive(url);
    await waitFor(() =>
      expect(raw.comments.filter((text) => text === 'ping').length).toBeGreaterThanOrEqual(2),
    );
    expect(sse.metrics().heartbeats).toBeGreaterThanOrEqual(2);
    failing = true;
    await expect(sse.broadcast('tick', { n: 1 })).rejects.toThrow(/could not append/);
    expect(sse.metrics().storeErrors).toEqual({ append: 1, read: 0, head: 0 });
    expect(sse.metrics().storeDuration.append.count).toBe(1);
    expect(sse.metrics().storeDuration.head.count).toBe(1);
    expect(sse.metrics().publishDuration.count).toBe(0); // only publishes that reached their streams
  });
});

describe('sse.metricsHandler()', () => {
  it('serves the metrics as Prometheus text: counters, gauges and cumulative histograms', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, meter: null });
    const app = express();
    app.get('/events', sse.handler());
    app.get('/metrics', sse.metricsHandler());
    const url = await fixture.serve(sse, app);
    await openLive(url);
    await sse.broadcast('tick', { n: 1 });
    await sse.broadcast('user:joined', { userId: 'u1', name: 'A "quoted"\nname' });

    const response = await fetch(url.replace('/events', '/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    const text = await response.text();
    const lines = text.trimEnd().split('\n');
    expect(lines).toContain('# TYPE sse_server_connections gauge');
    expect(lines).toContain('sse_server_connections{sse_adapter="node",sse_channel_count="1"} 1');
    expect(lines).toContain('# TYPE sse_server_events_published_total counter');
    expect(lines).toContain('sse_server_events_published_total{sse_event_type="tick"} 1');
    expect(lines).toContain('sse_server_events_published_total{sse_event_type="user:joined"} 1');
    expect(lines).toContain('sse_server_connections_refused_total{sse_refusal_reason="limit"} 0');
    expect(lines).toContain('# TYPE sse_server_publish_duration_seconds histogram');
    expect(lines).toContain('sse_server_publish_duration_seconds_bucket{le="+Inf"} 2');
    expect(lines).toContain('sse_server_publish_duration_seconds_count 2');
    expect(lines).toContain('sse_server_store_duration_seconds_count{sse_store_operation="append"} 2');
    // Buckets are cumulative and end at the count.
    const buckets = lines
      .filter((line) => line.startsWith('sse_server_publish_duration_seconds_bucket'))
      .map((line) => Number(line.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(2);
    // Every sample line is `name{labels} number`, under a TYPE line of its metric.
    const typed = new Set(lines.filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2]));
    for (const line of lines.filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? -?[\d.e+-]+$/);
      expect(typed.has(line.split(/[{ ]/)[0]?.replace(/_(bucket|sum|count)$/, '') as string)).toBe(true);
    }
    // No payload, user or channel reaches a label.
    expect(text).not.toContain('u1');
    expect(text).not.toContain('quoted');
  });
});
