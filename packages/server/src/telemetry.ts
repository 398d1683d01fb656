import type { ResetReason } from '@app/sse-protocol';
import type { DisconnectReason } from './connection-info';

// What the emitter counts for its metrics (see metrics.ts), beside the `stats()` counters. Every
// breakdown is keyed by a closed set of values (an adapter, a reason, an operation) or by the
// catalog's event names, never by a user, a client or a channel: the number of series is bounded by
// construction, however many users connect.

/** The server adapter a stream was opened through. */
export type Adapter = 'node' | 'http2' | 'fetch';

/** Why a stream was refused before it opened. */
export type RefusalReason =
  | 'bad-request'
  | 'method-not-allowed'
  | 'unauthorized'
  | 'forbidden'
  | 'rejected'
  | 'limit'
  | 'shutdown'
  | 'store-unavailable'
  | 'error';

/** A call of the emitter to its replay store. */
export type StoreOperation = 'append' | 'read' | 'head';

/** Every value of the closed sets, in a fixed order (for exporters and tests). */
export const ADAPTERS: readonly Adapter[] = ['node', 'http2', 'fetch'];

/** How many channels an open stream is in, as a bucket: a bounded label, never the channels. */
export type ChannelCountBucket = '1' | '2' | '3-4' | '5-8' | '9-16' | '17+';

/** Every {@link ChannelCountBucket}, smallest first. */
export const CHANNEL_COUNT_BUCKETS: readonly ChannelCountBucket[] = ['1', '2', '3-4', '5-8', '9-16', '17+'];
/** See {@link RefusalReason}. */
export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'bad-request',
  'method-not-allowed',
  'unauthorized',
  'forbidden',
  'rejected',
  'limit',
  'shutdown',
  'store-unavailable',
  'error',
];
/** See {@link DisconnectReason}. */
export const DISCONNECT_REASONS: readonly DisconnectReason[] = [
  'client-gone',
  'slow-consumer',
  'closed',
  'store-failed',
];
/** See {@link ResetReason}. */
export const RESET_REASONS: readonly ResetReason[] = ['evicted', 'epoch-changed', 'unknown-id'];
/** See {@link StoreOperation}. */
export const STORE_OPERATIONS: readonly StoreOperation[] = ['append', 'read', 'head'];

/**
 * Bucket bounds of the duration histograms, in seconds: OpenTelemetry's advice for HTTP server
 * durations, from 5 ms to 10 s.
 */
export const DURATION_BOUNDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
/** Bucket bounds of the replay size histogram, in events. */
export const REPLAY_SIZE_BOUNDS: readonly number[] = [0, 1, 10, 100, 1000, 10_000, 100_000];

/** Where a histogram's values also go: an OpenTelemetry histogram, when a meter is bound. */
export interface HistogramSink {
  record(value: number): void;
}

/** A histogram with fixed buckets. */
export interface Histogram {
  readonly bounds: readonly number[];
  /** Values per bucket (`counts[i]`: at most `bounds[i]`, above the previous bound; the last: above all). */
  readonly counts: number[];
  sum: number;
  count: number;
  sink: HistogramSink | undefined;
}

/** Creates an empty histogram. */
export function createHistogram(bounds: readonly number[]): Histogram {
  return { bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0, sink: undefined };
}

/** Records one value (a linear scan: 15 buckets at most, once per publish or store call). */
export function record(histogram: Histogram, value: number): void {
  const { bounds, counts } = histogram;
  let index = 0;
  while (index < bounds.length && value > (bounds[index] as number)) index++;
  counts[index] = (counts[index] as number) + 1;
  histogram.sum += value;
  histogram.count += 1;
  histogram.sink?.record(value);
}

/** A count per value of a closed set. */
export type Tally<K extends string> = Record<K, number>;

function tally<K extends string>(keys: readonly K[]): Tally<K> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Tally<K>;
}

/** The emitter's metric counts; see metrics.ts for what each becomes. */
export interface Telemetry {
  readonly opened: Tally<Adapter>;
  readonly closed: Tally<DisconnectReason>;
  readonly refused: Tally<RefusalReason>;
  /** Events published by type: the catalog's names only (an event is counted once validated). */
  readonly published: Map<string, number>;
  readonly resets: Tally<ResetReason>;
  readonly storeErrors: Tally<StoreOperation>;
  /** Resumes (streams opened with a `Last-Event-ID`) whose replay was read. */
  replays: number;
  /** Heartbeat comments written. */
  heartbeats: number;
  /** From `broadcast`/`send` to the event's frames handed to every connection. */
  readonly publishDuration: Histogram;
  /** Events written by each resume's replay. */
  readonly replaySize: Histogram;
  readonly storeDuration: Record<StoreOperation, Histogram>;
  /**
   * Every group of open streams (`<adapter> <channel-count bucket>`) a metrics read has reported:
   * one left empty is then reported at 0, so an exporter does not keep its last count.
   */
  readonly connectionGroups: Map<string, { adapter: Adapter; channels: ChannelCountBucket }>;
}

/** Creates the counts at zero. */
export function createTelemetry(): Telemetry {
  return {
    opened: tally(ADAPTERS),
    closed: tally(DISCONNECT_REASONS),
    refused: tally(REFUSAL_REASONS),
    published: new Map(),
    resets: tally(RESET_REASONS),
    storeErrors: tally(STORE_OPERATIONS),
    replays: 0,
    heartbeats: 0,
    publishDuration: createHistogram(DURATION_BOUNDS),
    replaySize: createHistogram(REPLAY_SIZE_BOUNDS),
    storeDuration: {
      append: createHistogram(DURATION_BOUNDS),
      read: createHistogram(DURATION_BOUNDS),
      head: createHistogram(DURATION_BOUNDS),
    },
    connectionGroups: new Map(),
  };
}

/**
 * Times one call to the replay store, counting it as an error when it rejects.
 *
 * @param telemetry - the emitter's counts
 * @param operation - which call
 * @param call - the call
 */
export async function timeStore<T>(
  telemetry: Telemetry,
  operation: StoreOperation,
  call: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } catch (error) {
    telemetry.storeErrors[operation] += 1;
    throw error;
  } finally {
    record(telemetry.storeDuration[operation], (performance.now() - started) / 1000);
  }
}
