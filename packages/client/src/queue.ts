/** A first-in-first-out queue with O(1) `push` and `shift`. */
export interface Queue<T> {
  /** Adds a value at the end. */
  push(value: T): void;
  /** Takes the oldest value, or `undefined` when empty (so `undefined` is not a value to queue). */
  shift(): T | undefined;
  /** Drops every value. */
  clear(): void;
  /** How many values wait. */
  readonly size: number;
  /** How many slots the storage holds now, taken values not yet reclaimed included (diagnostics). */
  readonly capacity: number;
}

/** Taken slots are reclaimed once there are this many and they make up half of the storage. */
const COMPACT_AFTER = 1024;

/**
 * Creates a queue on one array read from a moving head index. `Array.prototype.shift` would
 * move every remaining value on each call (O(n) on long backlogs); the head index makes taking
 * one O(1). The taken slots at the front are reclaimed in one `slice` once they are at least half
 * of the array, so a consumer that lags steadily (the queue never empties) keeps the storage
 * proportional to its backlog, at an amortised O(1) per value.
 */
export function createQueue<T>(): Queue<T> {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    push(value) {
      items.push(value);
    },
    shift() {
      if (head === items.length) return undefined;
      const value = items[head];
      items[head++] = undefined; // release the reference for the garbage collector
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head >= COMPACT_AFTER && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return value;
    },
    clear() {
      items = [];
      head = 0;
    },
    get size() {
      return items.length - head;
    },
    get capacity() {
      return items.length;
    },
  };
}
