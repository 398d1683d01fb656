import { DEFAULT_MAX_EVENT_ID_LENGTH } from './option-defaults';

/** A bounded memory of the most recently delivered event IDs. */
export interface RecentIds {
  /** Whether `id` is among the remembered IDs. */
  has(id: string): boolean;
  /** Remembers `id`, forgetting the oldest one when full; an ID over the length limit is not kept. */
  add(id: string): void;
  /** The total length of the remembered IDs: at most `capacity * maxIdLength`, by construction. */
  readonly chars: number;
}

/**
 * How many delivered event IDs the client remembers to drop duplicates.
 *
 * @example
 * ```ts
 * // A server may replay up to RECENT_IDS_CAPACITY events the client has; none is delivered twice.
 * ```
 *
 * Duplicates come from a resume: a server (or a proxy, or an at-least-once store) that replays a
 * little more than the client missed. That overlap is the tail the client received just before
 * the connection broke, so it is short; 1024 IDs cover any overlap up to 1024 events. With IDs of
 * at most `maxEventIdLength` characters (256 by default) that costs at most 256 Ki characters,
 * whatever the stream's length and whatever the server sends.
 */
export const RECENT_IDS_CAPACITY = 1024;

/**
 * Creates a first-in-first-out set of at most `capacity` IDs: a `Set` for O(1) lookups and a ring
 * of the same IDs to know which one is the oldest, so memory stays bounded on endless streams.
 * IDs longer than `maxIdLength` are never stored (the connection ignores them before they get
 * here; refusing them here too keeps the bound a property of this structure alone).
 *
 * @param capacity - the most IDs kept @defaultValue {@link RECENT_IDS_CAPACITY}
 * @param maxIdLength - the longest ID kept @defaultValue `256`
 */
export function createRecentIds(
  capacity: number = RECENT_IDS_CAPACITY,
  maxIdLength: number = DEFAULT_MAX_EVENT_ID_LENGTH,
): RecentIds {
  const ring: (string | undefined)[] = new Array(capacity);
  const set = new Set<string>();
  let next = 0;
  let chars = 0;
  return {
    has: (id) => set.has(id),
    add(id) {
      if (id.length > maxIdLength || set.has(id)) return;
      const oldest = ring[next];
      if (oldest !== undefined) {
        set.delete(oldest);
        chars -= oldest.length;
      }
      ring[next] = id;
      set.add(id);
      chars += id.length;
      next = (next + 1) % capacity;
    },
    get chars() {
      return chars;
    },
  };
}
