import type { ResetReason } from '@app/sse-protocol';
import type { DisconnectReason } from './connection-info';
import type { EmitterCore } from './emitter-core';
import type { EmitterStats } from './stats';
import type { Adapter, ChannelCountBucket, Histogram, RefusalReason, StoreOperation } from './telemetry';

function bucketOf(channels: number): ChannelCountBucket {
  if (channels <= 2) return channels <= 1 ? '1' : '2';
  if (channels <= 4) return '3-4';
  if (channels <= 8) return '5-8';
  return channels <= 16 ? '9-16' : '17+';
}

/**
 * A histogram's state: the count of values in each bucket (`counts[i]` counts values at most
 * `bounds[i]` and above `bounds[i - 1]`; the last entry, values above every bound), their sum and
 * their number.
 */
export interface HistogramSnapshot {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/**
 * Everything the emitter measures, from {@link Emitter.metrics}: what the OpenTelemetry
 * instruments and the Prometheus endpoint export (see the README's metrics table). Counts grow
 * from the emitter's creation; `connections` and `buffered` describe this instant. No field is
 * keyed by a user, a client or a channel.
 *
 * @example
 * ```ts
 * const { connections, closed } = sse.metrics();
 * console.log(connections.reduce((sum, group) => sum + group.count, 0), 'open;', closed['slow-consumer'], 'dropped as slow');
 * ```
 */
export interface EmitterMetrics {
  /**
   * Open streams, by adapter and by how many channels each is in. A group appears once a read
   * finds a stream in it, and stays, at 0 when it empties, so an exporter sees it go to zero.
   */
  readonly connections: readonly {
    readonly adapter: Adapter;
    readonly channels: ChannelCountBucket;
    readonly count: number;
  }[];
  /** Streams opened, by adapter. */
  readonly opened: Readonly<Record<Adapter, number>>;
  /** Streams ended, by reason (as `onDisconnect` is told). */
  readonly closed: Readonly<Record<DisconnectReason, number>>;
  /** Streams refused before they opened, by reason. */
  readonly refused: Readonly<Record<RefusalReason, number>>;
  /** Events published (stored), by the catalog's event type. */
  readonly published: Readonly<Record<string, number>>;
  /**
   * Events handed to responses: `live` as published (`stats().sent`), `replay` to resuming streams
   * (`stats().replayed`). Events queued for a stream that ended before writing them are not counted.
   */
  readonly delivered: { readonly live: number; readonly replay: number };
  /** Stream bytes handed to responses (`stats().bytes`); bytes queued for a stream that ended first are not. */
  readonly written: number;
  /**
   * Replays of resumes (streams opened with a `Last-Event-ID`) that began: the store read the missed
   * events while the stream was open. Counted once, whether the replay completed or the stream
   * ended during it.
   */
  readonly replays: number;
  /** Events each counted replay wrote; its `sum` is `delivered.replay`. */
  readonly replaySize: HistogramSnapshot;
  /** `sse:reset` sent, by reason. */
  readonly resets: Readonly<Record<ResetReason, number>>;
  /** Heartbeat comments written. */
  readonly heartbeats: number;
  /** Unsent bytes held now for every open stream. */
  readonly buffered: number;
  /** Seconds from `broadcast`/`send` to the event's frames handed to every connection. */
  readonly publishDuration: HistogramSnapshot;
  /** Seconds each replay store call took, by operation. */
  readonly storeDuration: Readonly<Record<StoreOperation, HistogramSnapshot>>;
  /** Replay store calls that failed, by operation. */
  readonly storeErrors: Readonly<Record<StoreOperation, number>>;
}

function snapshotOf(histogram: Histogram): HistogramSnapshot {
  return {
    bounds: histogram.bounds,
    counts: [...histogram.counts],
    sum: histogram.sum,
    count: histogram.count,
  };
}

/** Unsent bytes held now for every open stream: queued by the emitter plus buffered in responses. */
function bufferedBytesOf(core: EmitterCore): number {
  let buffered = 0;
  for (const connection of core.registry.connections.values()) {
    buffered += connection.queuedBytes + connection.pendingBytes + connection.transport.bufferedBytes();
  }
  return buffered;
}

/**
 * Reads an emitter's `stats()`.
 *
 * @param core - the emitter
 */
export function statsOf(core: EmitterCore): EmitterStats {
  return {
    clients: core.registry.connections.size,
    channels: core.registry.channels.size,
    ...core.counters,
    bufferedBytes: bufferedBytesOf(core),
  };
}

/**
 * Reads an emitter's metrics: counts are copied, open streams grouped (one pass over them).
 *
 * @param core - the emitter
 */
export function metricsOf(core: EmitterCore): EmitterMetrics {
  const { telemetry, counters } = core;
  const groups = new Map<string, { adapter: Adapter; channels: ChannelCountBucket; count: number }>();
  for (const [key, seen] of telemetry.connectionGroups) groups.set(key, { ...seen, count: 0 });
  for (const connection of core.registry.connections.values()) {
    const adapter = connection.transport.adapter;
    const channels = bucketOf(connection.channels.length);
    const key = `${adapter} ${channels}`;
    const group = groups.get(key);
    if (group !== undefined) group.count += 1;
    else {
      groups.set(key, { adapter, channels, count: 1 });
      telemetry.connectionGroups.set(key, { adapter, channels });
    }
  }
  const { append, read, head } = telemetry.storeDuration;
  return {
    connections: [...groups.values()],
    opened: { ...telemetry.opened },
    closed: { ...telemetry.closed },
    refused: { ...telemetry.refused },
    published: Object.fromEntries(telemetry.published),
    delivered: { live: counters.sent, replay: counters.replayed },
    written: counters.bytes,
    replays: telemetry.replays,
    replaySize: snapshotOf(telemetry.replaySize),
    resets: { ...telemetry.resets },
    heartbeats: telemetry.heartbeats,
    buffered: bufferedBytesOf(core),
    publishDuration: snapshotOf(telemetry.publishDuration),
    storeDuration: { append: snapshotOf(append), read: snapshotOf(read), head: snapshotOf(head) },
    storeErrors: { ...telemetry.storeErrors },
  };
}
