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
   */
  emit(a: A, b: B, onThrow: (error: unknown) => void): void;
  /** How many listeners are registered. */
  readonly size: number;
}

interface Entry<A, B> {
  listener: Listener<A, B>;
  once: boolean;
  active: boolean;
}

/**
 * Creates a listener set. The list is copy-on-write: `emit` walks the array as it was when the
 * emit began without copying it (no allocation per event on the hot path), and the `active`
 * flag skips a listener removed during that walk, as `EventTarget` does.
 */
export function createListeners<A, B = undefined>(): Listeners<A, B> {
  let entries: Entry<A, B>[] = [];

  function remove(entry: Entry<A, B>): void {
    if (!entry.active) return;
    entry.active = false;
    entries = entries.filter((other) => other !== entry);
  }

  return {
    add(listener, once = false) {
      const entry: Entry<A, B> = { listener, once, active: true };
      entries = [...entries, entry];
      return () => remove(entry);
    },
    emit(a, b, onThrow) {
      const current = entries;
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
      }
    },
    get size() {
      return entries.length;
    },
  };
}
