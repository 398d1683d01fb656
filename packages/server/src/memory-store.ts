import { createEpoch, formatEventId, isEpoch, numberOptionProblem, parseEventId } from '@app/sse-protocol';
import { SseServerError } from './errors';
import type { AppendRequest, ReplayRead, ReplayStore, StoredEvent } from './replay-store';

/**
 * Bounds of the in-memory replay store: the oldest events go first when any bound is passed.
 *
 * @example
 * ```ts
 * const options: MemoryStoreOptions = { maxEvents: 5000, maxBytes: 8 << 20, maxAgeMs: 10 * 60_000 };
 * ```
 */
export interface MemoryStoreOptions {
  /** The most events kept (0 keeps none: every resume is a reset), up to 2^32 - 1. @defaultValue `1000` */
  maxEvents?: number;
  /** The most bytes of encoded events kept. @defaultValue `1048576` (1 MiB) */
  maxBytes?: number;
  /** How long an event is kept, in milliseconds. @defaultValue `Infinity` (no age limit) */
  maxAgeMs?: number;
  /**
   * The store's epoch, `[0-9A-Za-z_]{1,64}`. Never give a new store the epoch of one whose history
   * is gone (a fixed epoch across restarts): clients would get other events under the IDs they hold.
   * @defaultValue a new random one per store
   */
  epoch?: string;
}

/**
 * Default {@link MemoryStoreOptions.maxEvents}.
 *
 * @example
 * ```ts
 * createMemoryStore({ maxEvents: 10 * DEFAULT_MAX_EVENTS });
 * ```
 */
export const DEFAULT_MAX_EVENTS = 1000;
/**
 * Default {@link MemoryStoreOptions.maxBytes}: 1 MiB.
 *
 * @example
 * ```ts
 * createMemoryStore({ maxBytes: 4 * DEFAULT_MAX_BYTES });
 * ```
 */
export const DEFAULT_MAX_BYTES = 1 << 20;

/** The most slots a JavaScript array (the ring) can have. */
const MAX_RING_SIZE = 2 ** 32 - 1;

function assertLimit(name: string, value: number, infinity: boolean, max = Number.MAX_SAFE_INTEGER): void {
  const problem = numberOptionProblem(`replay.${name}`, value, { min: 0, max, integer: true, infinity });
  if (problem !== undefined) throw new SseServerError('invalid-option', problem);
}

/**
 * The in-process replay store: a ring buffer bounded by event count, bytes and age. Its epoch is
 * new for every store, so after a restart the IDs clients hold are recognised as another epoch and
 * answered with `sse:reset` (`epoch-changed`), never with a silent partial replay.
 *
 * Each event's encoded bytes are kept once and written as they are to every replayed client. Age
 * is enforced when the store is used (no timer), so an idle store costs nothing.
 *
 * @param options - `maxEvents`, `maxBytes`, `maxAgeMs`, `epoch`; see {@link MemoryStoreOptions}
 * @throws {@link SseServerError} `invalid-option` for a bound that is not a non-negative integer
 *
 * @example
 * ```ts
 * const store = createMemoryStore({ maxEvents: 5000, maxBytes: 8 << 20, maxAgeMs: 10 * 60_000 });
 * const sse = createEmitter({ events, store });
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ReplayStore {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxAgeMs = options.maxAgeMs ?? Number.POSITIVE_INFINITY;
  assertLimit('maxEvents', maxEvents, false, MAX_RING_SIZE);
  assertLimit('maxBytes', maxBytes, true);
  assertLimit('maxAgeMs', maxAgeMs, true);
  const epoch = options.epoch ?? createEpoch();
  if (!isEpoch(epoch)) {
    throw new SseServerError(
      'invalid-option',
      `replay epoch must match [0-9A-Za-z_]{1,64}, got ${JSON.stringify(epoch)}`,
    );
  }

  // The ring: `count` events from `start`, the oldest first; sequence numbers are contiguous, so
  // the event after ID `seq` is found by arithmetic, without a search.
  const ring: (StoredEvent | undefined)[] = new Array(maxEvents);
  const times: number[] = Number.isFinite(maxAgeMs) ? new Array(maxEvents) : [];
  let start = 0;
  let count = 0;
  let bytes = 0;
  let headSeq = 0;

  function evictOldest(): void {
    const event = ring[start] as StoredEvent;
    ring[start] = undefined;
    bytes -= event.frame.byteLength;
    start = start + 1 === maxEvents ? 0 : start + 1;
    count -= 1;
  }

  function evictExpired(): void {
    if (count === 0 || times.length === 0) return;
    const oldestKept = Date.now() - maxAgeMs;
    while (count > 0 && (times[start] as number) < oldestKept) evictOldest();
  }

  function head(): string {
    return formatEventId(epoch, headSeq);
  }

  function readAfter(lastEventId: string): ReplayRead {
    evictExpired();
    const position = parseEventId(lastEventId);
    if (position === undefined) return { ok: false, reason: 'unknown-id', head: head() };
    if (position.epoch !== epoch) return { ok: false, reason: 'epoch-changed', head: head() };
    if (position.seq > headSeq) return { ok: false, reason: 'unknown-id', head: head() };
    const firstSeq = headSeq - count + 1;
    if (position.seq < firstSeq - 1) return { ok: false, reason: 'evicted', head: head() };
    const skip = position.seq - firstSeq + 1;
    const events: StoredEvent[] = new Array(count - skip);
    for (let i = skip; i < count; i++) events[i - skip] = ring[(start + i) % maxEvents] as StoredEvent;
    return { ok: true, events, head: head() };
  }

  function append(request: AppendRequest): StoredEvent {
    const seq = headSeq + 1;
    const id = formatEventId(epoch, seq);
    const event: StoredEvent = { id, seq, channels: request.channels, frame: request.encode(id) };
    headSeq = seq;
    if (maxEvents === 0) return event;
    evictExpired();
    if (count === maxEvents) evictOldest();
    const index = (start + count) % maxEvents;
    ring[index] = event;
    if (times.length > 0) times[index] = Date.now();
    count += 1;
    bytes += event.frame.byteLength;
    while (bytes > maxBytes && count > 0) evictOldest();
    return event;
  }

  // Every method does its work synchronously and returns a settled promise, so appends resolve in
  // sequence order and a head read happens at the instant of the call.
  return {
    append: (request) => {
      try {
        return Promise.resolve(append(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    readAfter: (lastEventId) => Promise.resolve(readAfter(lastEventId)),
    head: () => Promise.resolve(head()),
    close: () => Promise.resolve(),
  };
}
