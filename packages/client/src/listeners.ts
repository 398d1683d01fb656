/** A listener of up to two arguments; it may return a promise, whose rejection is reported. */
export type Listener<A, B> = (a: A, b: B) => unknown;

/** An ordered set of listeners. */
export interface Listeners<A, B = undefined> {
  /**
   * Adds a listener.
   *
   * @param listener - the function to call
   * @param once - remove it before its first call
   * @returns a function that removes it (idempotent)
   */
  add(listener: Listener<A, B>, once?: boolean): () => void;
  /**
   * Calls every listener in the order they were added. One that throws or rejects does not stop
   * the others: its error goes to `onThrow`.
   *
   * @param stopped - asked after each listener: `true` skips the rest (a listener closed the client)
   */
  emit(a: A, b: B, onThrow: (error: unknown) => void, stopped?: () => boolean): void;
  /** How many listeners are registered. */
  readonly size: number;
}

interface Entry<A, B> {
  listener: Listener<A, B>;
  once: boolean;
  active: boolean;
}

/**
 * Creates a listener set. Adding and removing cost O(1) (a `Set`, in insertion order), however
 * many listeners there are. `emit` walks an array of them made at the first emit after a change
 * and reused until the next one (no allocation per event on the hot path); a listener added during
 * a walk is not in it, and the `active` flag skips one removed during it, as `EventTarget` does.
 */
export function createListeners<A, B = undefined>(): Listeners<A, B> {
  const entries = new Set<Entry<A, B>>();
  let walk: Entry<A, B>[] | null = null; // null: changed since it was made

  function remove(entry: Entry<A, B>): void {
    if (!entry.active) return;
    entry.active = false;
    entries.delete(entry);
    walk = null;
  }

  return {
    add(listener, once = false) {
      const entry: Entry<A, B> = { listener, once, active: true };
      entries.add(entry);
      walk = null;
      return () => remove(entry);
    },
    emit(a, b, onThrow, stopped) {
      walk ??= [...entries];
      const current = walk;
      for (let index = 0; index < current.length; index++) {
        const entry = current[index] as Entry<A, B>;
        if (!entry.active) continue;
        if (entry.once) remove(entry);
        try {
          const result = entry.listener(a, b);
          if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
            (result as PromiseLike<unknown>).then(undefined, onThrow);
          }
        } catch (error) {
          onThrow(error);
        }
        if (stopped?.() === true) return;
      }
    },
    get size() {
      return entries.size;
    },
  };
}
