import type { EmitterMetrics, HistogramSnapshot } from './metrics';
import { type Histogram, STORE_OPERATIONS, type Telemetry } from './telemetry';

/** Attributes of one series: a handful of names with values from closed sets. */
export type MetricAttributes = Readonly<Record<string, string>>;

/** One point of a counter or gauge. */
export interface MetricPoint {
  readonly attributes: MetricAttributes;
  readonly value: number;
}

/** One series of a histogram. */
export interface HistogramPoint {
  readonly attributes: MetricAttributes;
  readonly histogram: HistogramSnapshot;
}

interface Definition {
  /** The OpenTelemetry name (`sse.server.…`). */
  readonly name: string;
  /** `unit` in UCUM, as OpenTelemetry wants it (`s`, `By`, `{connection}`). */
  readonly unit: string;
  readonly description: string;
}

/** A counter (only grows), an up-down counter (a count that goes both ways) or a gauge. */
export interface ValueMetric extends Definition {
  readonly kind: 'counter' | 'updowncounter' | 'gauge';
  readonly points: (metrics: EmitterMetrics) => MetricPoint[];
}

/** A histogram: its buckets are the emitter's (see telemetry.ts). */
export interface HistogramMetric extends Definition {
  readonly kind: 'histogram';
  /** Its series in a snapshot (for Prometheus). */
  readonly series: (metrics: EmitterMetrics) => HistogramPoint[];
  /** The live histograms behind the series (an OpenTelemetry histogram records as they do). */
  readonly sources: (telemetry: Telemetry) => { attributes: MetricAttributes; histogram: Histogram }[];
}

/** One metric the emitter exports. */
export type MetricDefinition = ValueMetric | HistogramMetric;

/** The points of a count keyed by a closed set, one per key, under `attribute`. */
function byKey(attribute: string, counts: Readonly<Record<string, number>>): MetricPoint[] {
  return Object.entries(counts).map(([key, value]) => ({ attributes: { [attribute]: key }, value }));
}

const single = (value: number): MetricPoint[] => [{ attributes: {}, value }];

/**
 * Every metric, in the OpenTelemetry semantic conventions' style: `sse.server.*` names, UCUM units,
 * `sse.*` attributes whose values come from closed sets (an adapter, a reason, an operation, a
 * channel-count bucket) or from the catalog's event names. The Prometheus endpoint exports the same
 * list under Prometheus names (see prometheus.ts); the server README's table is this list.
 */
export const METRICS: readonly MetricDefinition[] = [
  {
    name: 'sse.server.connections',
    kind: 'updowncounter',
    unit: '{connection}',
    description: 'Open event streams, by adapter and by how many channels each is in.',
    points: (m) =>
      m.connections.map(({ adapter, channels, count }) => ({
        attributes: { 'sse.adapter': adapter, 'sse.channel_count': channels },
        value: count,
      })),
  },
  {
    name: 'sse.server.connections.opened',
    kind: 'counter',
    unit: '{connection}',
    description: 'Event streams opened, by adapter.',
    points: (m) => byKey('sse.adapter', m.opened),
  },
  {
    name: 'sse.server.connections.closed',
    kind: 'counter',
    unit: '{connection}',
    description: 'Event streams ended, by reason.',
    points: (m) => byKey('sse.disconnect.reason', m.closed),
  },
  {
    name: 'sse.server.connections.refused',
    kind: 'counter',
    unit: '{connection}',
    description: 'Stream requests refused before a stream opened, by reason.',
    points: (m) => byKey('sse.refusal.reason', m.refused),
  },
  {
    name: 'sse.server.events.published',
    kind: 'counter',
    unit: '{event}',
    description: 'Events published (stored), by event type.',
    points: (m) => byKey('sse.event.type', m.published),
  },
  {
    name: 'sse.server.events.delivered',
    kind: 'counter',
    unit: '{event}',
    description:
      'Events written to streams: live, or in a replay. Events queued for a stream that ended before writing them are not counted.',
    points: (m) => byKey('sse.delivery', m.delivered),
  },
  {
    name: 'sse.server.written',
    kind: 'counter',
    unit: 'By',
    description:
      'Stream bytes handed to responses (events, replays, heartbeats, first bytes); bytes queued for a stream that ended first are not counted.',
    points: (m) => single(m.written),
  },
  {
    name: 'sse.server.buffered',
    kind: 'gauge',
    unit: 'By',
    description: 'Unsent bytes held for every open stream.',
    points: (m) => single(m.buffered),
  },
  {
    name: 'sse.server.replays',
    kind: 'counter',
    unit: '{replay}',
    description:
      'Replays of resumes (streams opened with a Last-Event-ID) that began: the missed events were read while the stream was open. Counted once, also when the stream ended during the replay.',
    points: (m) => single(m.replays),
  },
  {
    name: 'sse.server.replay.events',
    kind: 'histogram',
    unit: '{event}',
    description: 'Events each replay wrote, up to its end or the end of its stream.',
    series: (m) => [{ attributes: {}, histogram: m.replaySize }],
    sources: (t) => [{ attributes: {}, histogram: t.replaySize }],
  },
  {
    name: 'sse.server.resets',
    kind: 'counter',
    unit: '{reset}',
    description: 'sse:reset sent (resumes the store could not cover), by reason.',
    points: (m) => byKey('sse.reset.reason', m.resets),
  },
  {
    name: 'sse.server.heartbeats',
    kind: 'counter',
    unit: '{heartbeat}',
    description: 'Heartbeat comments written.',
    points: (m) => single(m.heartbeats),
  },
  {
    name: 'sse.server.publish.duration',
    kind: 'histogram',
    unit: 's',
    description: "From broadcast/send to the event's frames handed to every stream of this process.",
    series: (m) => [{ attributes: {}, histogram: m.publishDuration }],
    sources: (t) => [{ attributes: {}, histogram: t.publishDuration }],
  },
  {
    name: 'sse.server.store.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Replay store calls, by operation.',
    series: (m) =>
      STORE_OPERATIONS.map((operation) => ({
        attributes: { 'sse.store.operation': operation },
        histogram: m.storeDuration[operation],
      })),
    sources: (t) =>
      STORE_OPERATIONS.map((operation) => ({
        attributes: { 'sse.store.operation': operation },
        histogram: t.storeDuration[operation],
      })),
  },
  {
    name: 'sse.server.store.errors',
    kind: 'counter',
    unit: '{error}',
    description: 'Replay store calls that failed, by operation.',
    points: (m) => byKey('sse.store.operation', m.storeErrors),
  },
];
