import { metrics } from '@opentelemetry/api';
import { type DataPoint, type Histogram, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_COUNT_BUCKETS, createEmitter, METRICS } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** A reader that collects when the test asks, as an SDK's exporter would on its interval. */
class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The metrics of the last collection, by name. */
async function collect(reader: TestReader) {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const byName = new Map<string, { unit: string; points: DataPoint<number | Histogram>[] }>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      byName.set(metric.descriptor.name, {
        unit: metric.descriptor.unit,
        points: metric.dataPoints as DataPoint<number | Histogram>[],
      });
    }
  }
  return byName;
}

function useMeterProvider() {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  return { reader, provider, meter: provider.getMeter('test') };
}

afterEach(() => {
  metrics.disable();
});

describe('OpenTelemetry', () => {
  it('exports every metric of the table, with its unit, through the meter it is given', async () => {
    const { reader, provider, meter } = useMeterProvider();
    const sse = createEmitter({ events, heartbeatMs: 0, meter });
    const url = await fixture.serve(sse);
    const raw = await fixture.open(url);
    await raw.waitForEvents(1);
    const { id } = await sse.broadcast('tick', { n: 1 });
    await sse.broadcast('tick', { n: 2 });
    const resumed = await fixture.open(url, { headers: { 'Last-Event-ID': id } });
    await resumed.waitForEvents(2); // hello and the tick after `id`: a replay of one event

    const collected = await collect(reader);
    for (const definition of METRICS) expect(collected.get(definition.name)?.unit).toBe(definition.unit);
    expect(collected.get('sse.server.connections')?.points).toEqual([
      expect.objectContaining({ attributes: { 'sse.adapter': 'node', 'sse.channel_count': '1' }, value: 2 }),
    ]);
    expect(collected.get('sse.server.replay.events')?.points[0]?.value).toMatchObject({ count: 1, sum: 1 });
    expect(collected.get('sse.server.events.published')?.points).toEqual([
      expect.objectContaining({ attributes: { 'sse.event.type': 'tick' }, value: 2 }),
    ]);
    const duration = collected.get('sse.server.publish.duration')?.points[0]?.value as Histogram;
    expect(duration.count).toBe(2);
    expect(duration.buckets.boundaries).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]);

    // close() ends the streams before the export: the next collection sees them ended.
    await sse.close();
    const after = await collect(reader);
    expect(after.get('sse.server.connections')?.points).toEqual([
      expect.objectContaining({ attributes: { 'sse.adapter': 'node', 'sse.channel_count': '1' }, value: 0 }),
    ]);
    expect(after.get('sse.server.connections.closed')?.points).toContainEqual(
      expect.objectContaining({ attributes: { 'sse.disconnect.reason': 'closed' }, value: 2 }),
    );
    await provider.shutdown();
  });

  it('adds up the emitters that share a meter, and keeps what a closed one counted', async () => {
    const { reader, provider, meter } = useMeterProvider();
    const first = createEmitter({ events, heartbeatMs: 0, meter });
    const second = createEmitter({ events, heartbeatMs: 0, meter });
    fixture.sse = second;
    const url = await fixture.serve(first);
    await (await fixture.open(url)).waitForEvents(1);
    await first.broadcast('tick', { n: 1 });
    await first.broadcast('tick', { n: 2 });
    await second.broadcast('tick', { n: 3 });
    const published = async () => (await collect(reader)).get('sse.server.events.published')?.points;
    const ticks = (value: number) => [
      expect.objectContaining({ attributes: { 'sse.event.type': 'tick' }, value }),
    ];
    expect(await published()).toEqual(ticks(3));
    const connections = (await collect(reader)).get('sse.server.connections')?.points;
    expect(connections).toEqual([expect.objectContaining({ value: 1 })]);
    // A counter never goes back: the closed emitter's counts stay in the total.
    await first.close();
    await second.broadcast('tick', { n: 4 });
    expect(await published()).toEqual(ticks(4));
    expect((await collect(reader)).get('sse.server.connections')?.points).toEqual([
      expect.objectContaining({ value: 0 }),
    ]);
    await provider.shutdown();
  });

  it('uses the global meter by default: an SDK registered before the emitter gets its metrics', async () => {
    const { reader, provider } = useMeterProvider();
    metrics.setGlobalMeterProvider(provider);
    const sse = createEmitter({ events, heartbeatMs: 0 });
    fixture.sse = sse;
    await sse.broadcast('notification', { message: 'hi' });
    const collected = await collect(reader);
    expect(collected.get('sse.server.events.published')?.points).toEqual([
      expect.objectContaining({ attributes: { 'sse.event.type': 'notification' }, value: 1 }),
    ]);
    await provider.shutdown();
  });

  it('keeps the number of series bounded however many users, clients and channels there are', async () => {
    const { reader, provider, meter } = useMeterProvider();
    const sse = createEmitter({ events, heartbeatMs: 0, meter, replay: { maxEvents: 5 } });
    const app = express();
    app.get(
      '/events',
      sse.handler({
        authorize: (req: express.Request) => ({ userId: req.get('x-user') as string }),
        channels: (req: express.Request) => (req.get('x-rooms') ?? '').split(',').filter(Boolean),
      }),
    );
    const url = await fixture.serve(sse, app);
    const users = Array.from({ length: 60 }, (_, index) => `user-${index}`);
    const streams = await Promise.all(
      users.map((user, index) =>
        fixture.open(url, {
          headers: {
            'x-user': user,
            'x-rooms': Array.from({ length: index % 20 }, (_, room) => `room-${user}-${room}`).join(','),
          },
        }),
      ),
    );
    await Promise.all(streams.map((stream) => stream.waitForEvents(1)));
    for (const user of users) await sse.to(`user:${user}`).send('notification', { message: `for ${user}` });
    await sse.broadcast('user:joined', { userId: 'someone', name: 'Someone' });
    const resumed = await fixture.open(url, { headers: { 'x-user': 'late', 'Last-Event-ID': 'gone-1' } });
    await resumed.waitForEvents(2);

    const collected = await collect(reader);
    const bounds: Record<string, number> = {
      'sse.server.connections': 3 * CHANNEL_COUNT_BUCKETS.length,
      'sse.server.events.published': events.names.length,
    };
    const text = JSON.stringify(
      [...collected.values()].map((metric) => metric.points.map((p) => p.attributes)),
    );
    for (const user of users) expect(text).not.toContain(user);
    expect(text).not.toContain('room-');
    for (const [name, { points }] of collected) {
      // Closed sets: at most a dozen series per metric (or the bound above), never one per user.
      expect(points.length, name).toBeLessThanOrEqual(bounds[name] ?? 12);
    }
    expect(collected.get('sse.server.connections')?.points.length).toBeGreaterThan(3);
    await provider.shutdown();
  });
});
