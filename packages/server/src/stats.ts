/**
 * A snapshot of an emitter, from `stats()`. Counters (`published` to `slowDisconnects`) grow from
 * the emitter's creation; the others describe this instant.
 *
 * @example
 * ```ts
 * setInterval(() => {
 *   const { clients, slowDisconnects, bufferedBytes } = sse.stats();
 *   metrics.gauge('sse.clients', clients);
 * }, 10_000);
 * ```
 */
export interface EmitterStats {
  /** Open streams now (replaying or live). */
  clients: number;
  /** Channels with at least one open stream now (`client:<id>` channels included). */
  channels: number;
  /** Catalog events published (accepted by the store). */
  published: number;
  /**
   * Live event deliveries: one per event per connection that received it live, counted when its
   * frame is handed to the response. Events queued for a connection that ended first (dropped as
   * slow, or its client gone) are not counted.
   */
  sent: number;
  /**
   * Stream bytes handed to responses: first bytes, `sse:hello`, events, replays, heartbeats. Bytes
   * queued for a connection that ended before writing them are not counted.
   */
  bytes: number;
  /** Events written by replays (resumes with `Last-Event-ID`), including replays the client left. */
  replayed: number;
  /** `sse:reset` events sent (resumes the store could not cover). */
  resets: number;
  /** Connections closed because their unsent bytes passed `maxBufferedBytes`. */
  slowDisconnects: number;
  /** Unsent bytes held now for all open streams (queued by the emitter plus buffered in responses). */
  bufferedBytes: number;
}

/** The counters behind {@link EmitterStats}: the fields that grow, not those read at the instant. */
export type Counters = Omit<EmitterStats, 'clients' | 'channels' | 'bufferedBytes'>;

/** Counters at zero. */
export function createCounters(): Counters {
  return { published: 0, sent: 0, bytes: 0, replayed: 0, resets: 0, slowDisconnects: 0 };
}
