import type { ResetReason } from '@app/sse-protocol';

/**
 * Who an event is for: the channels it was sent to, or `null` for every connection (a broadcast).
 * A connection receives the event, live or replayed, when it is in at least one of the channels.
 *
 * @example
 * ```ts
 * const targets: EventTargets = ['user:u1', 'room:42'];
 * ```
 */
export type EventTargets = readonly string[] | null;

/**
 * One published event as a replay store keeps it.
 *
 * @example
 * ```ts
 * const event: StoredEvent = { id: 'm3k9x2ab-7', seq: 7, channels: null, frame: request.encode('m3k9x2ab-7') };
 * ```
 */
export interface StoredEvent {
  /** The event ID, `<epoch>-<seq>`. */
  readonly id: string;
  /** The sequence number in the ID (1 for the store's first event, then +1 per event). */
  readonly seq: number;
  /** The channels the event was sent to; `null` for a broadcast. */
  readonly channels: EventTargets;
  /** The complete encoded event (`id:`, `event:`, `data:` lines and the blank line), UTF-8. */
  readonly frame: Uint8Array;
}

/**
 * What {@link ReplayStore.append} is given: the targets, and how to encode the event once its ID is known.
 *
 * @example
 * ```ts
 * async append({ channels, encode }: AppendRequest): Promise<StoredEvent> {
 *   const seq = history.length + 1;
 *   const id = `${epoch}-${seq}`;
 *   const event = { id, seq, channels, frame: encode(id) };
 *   history.push(event);
 *   return event;
 * }
 * ```
 */
export interface AppendRequest {
  /** The channels the event is sent to; `null` for a broadcast. */
  readonly channels: EventTargets;
  /**
   * Encodes the complete event with the given ID. Call it exactly once, with the ID the store
   * assigns, and keep the bytes it returns: those bytes are written to live and replayed clients.
   */
  encode(id: string): Uint8Array;
  /**
   * The event already encoded without its `id:` line (its `event:` and `data:` lines and the blank
   * line): what a store shared by several processes keeps, since there the ID is assigned where the
   * entry is written. A reader rebuilds the frame as `id: <id>\n` followed by these bytes, which is
   * exactly what `encode(id)` returns.
   */
  readonly body: string;
}

/**
 * What a shared store tells the emitter through {@link ReplayStore.subscribe}.
 *
 * @example
 * ```ts
 * const stop = store.subscribe?.({
 *   onEvent: (event) => console.log('appended by some instance', event.id),
 *   onReset: () => console.warn('the history was lost; every stream must resume'),
 * });
 * ```
 */
export interface LiveFeedListener {
  /**
   * An event appended by any process, this one included: every event exactly once, in the
   * history's one order (its `seq` order), each right after the one before it.
   */
  onEvent(event: StoredEvent): void;
  /**
   * The feed lost continuity: the history was lost (flushed, deleted, a restart without
   * persistence: the store's epoch changed), or events were trimmed before this process read them.
   * The emitter ends every open stream; each client resumes and is told `sse:reset` by `readAfter`.
   */
  onReset(): void;
  /**
   * The feed cannot read the history (the store is unreachable): publishes of this process waiting
   * for it to bring earlier events settle at once, as reaching no connection yet. Their events stay
   * in line, and go out in order when the feed reads again. Open streams stay open: continuity is
   * not lost, only late. Optional; a store may call it once per failed read.
   */
  onOutage?(): void;
}

/**
 * The answer of {@link ReplayStore.readAfter}.
 *
 * @example
 * ```ts
 * const read: ReplayRead = await store.readAfter('m3k9x2ab-40');
 * if (read.ok) console.log(read.events.length, 'missed events');
 * else console.log('cannot replay:', read.reason);
 * ```
 */
export type ReplayRead =
  | {
      /** The store holds every event after the requested ID. */
      readonly ok: true;
      /** Every event after the requested ID, oldest first (all channels: the emitter filters). */
      readonly events: readonly StoredEvent[];
      /** The ID of the newest event the read covers (the requested ID when there is none). */
      readonly head: string;
    }
  | {
      /** The store cannot tell what came after the requested ID. */
      readonly ok: false;
      /** Why: `evicted`, `epoch-changed` or `unknown-id`. */
      readonly reason: ResetReason;
      /** The store's newest ID (`<epoch>-0` when it never held an event): where the client goes on from. */
      readonly head: string;
    };

/**
 * Where published events are kept so that a reconnecting client gets what it missed. Async, so a
 * shared store (Redis Streams, a database) can implement it; {@link createMemoryStore} is the
 * in-process one.
 *
 * Rules an implementation must keep:
 * - IDs are `<epoch>-<seq>` with `seq` growing by exactly 1 per appended event, and an epoch of
 *   letters, digits or `_` (at most 64) that changes whenever the history is lost;
 * - IDs are assigned in the order `append` is called. Its promises may settle in any order: the
 *   emitter fans events out in publishing order, each one once every earlier append settled (so an
 *   append must settle, resolved or rejected; one that hangs holds back the events after it);
 * - an event is visible to `readAfter` by the time its `append` promise resolves;
 * - `readAfter` never returns part of a gap: either every event after the ID, or a reset reason.
 *
 * @example
 * ```ts
 * const sse = createEmitter({ events, store: createMemoryStore({ maxEvents: 10_000 }) });
 * ```
 */
export interface ReplayStore {
  /**
   * Assigns the next ID, encodes the event with it (once) and keeps it.
   *
   * @param request - the targets and the encoder
   * @returns the stored event
   */
  append(request: AppendRequest): Promise<StoredEvent>;
  /**
   * Every event after `lastEventId`, or why they cannot be told.
   *
   * @param lastEventId - a well-formed `<epoch>-<seq>` ID (malformed IDs never reach the store)
   */
  readAfter(lastEventId: string): Promise<ReplayRead>;
  /** The newest ID, `<epoch>-0` when the store never held an event. */
  head(): Promise<string>;
  /**
   * For a store shared by several processes (Redis Streams, a database): the live feed of what any
   * of them appends. When a store has it, the emitter fans out only what the feed delivers (its own
   * appends included, so every instance delivers in the same order) and never at append time; a
   * store without it (the in-memory one) is one process, and the emitter fans out each append as
   * it settles. Called once, by `createEmitter`.
   *
   * @param listener - where to report appended events and lost continuity
   * @returns a function that stops the feed
   */
  subscribe?(listener: LiveFeedListener): () => void;
  /** Releases the store's resources; called by the emitter's `close()`. */
  close?(): Promise<void>;
}
