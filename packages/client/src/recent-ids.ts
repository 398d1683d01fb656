/** A bounded memory of the most recently delivered event IDs. */
export interface RecentIds {
  /** Whether `id` is among the remembered IDs. */
  has(id: string): boolean;
  /** Remembers `id`, forgetting the oldest one when full. */
  add(id: string): void;
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
 * the connection broke, so it is short; 1024 IDs cover any overlap up to 1024 events while
 * costing a few tens of kilobytes at most, whatever the stream's length.
 */
export const RECENT_IDS_CAPACITY = 1024;

/**
 * Creates a first-in-first-out set of at most `capacity` IDs: a `Set` for O(1) lookups and a ring
 * of the same IDs to know which one is the oldest, so memory stays bounded on endless streams.
 *
 * @param capacity - the most IDs kept @defaultValue {@link RECENT_IDS_CAPACITY}
 */
export function createRecentIds(capacity: number = RECENT_IDS_CAPACITY): RecentIds {
  const ring: (string | undefined)[] = new Array(capacity);
  const set = new Set<string>();
  let next = 0;
  return {
    has: (id) => set.has(id),
    add(id) {
      if (set.has(id)) return;
      const oldest = ring[next];
      if (oldest !== undefined) set.delete(oldest);
      ring[next] = id;
      set.add(id);
      next = (next + 1) % capacity;
    },
  };
}
