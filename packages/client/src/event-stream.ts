import type { SseClientError } from './errors';

/** The producer side of one `stream()` iterator. */
export interface StreamSink<T> {
  /** Queues a value for the loop. */
  push(value: T): void;
  /** Ends the iteration after the queued values: quietly, or by throwing `error`. */
  end(error?: SseClientError): void;
}

/**
 * Creates an async iterator fed through a {@link StreamSink}. Values queue until the loop takes
 * them (the queue is read from a moving head index, so taking one is O(1)). `return()` (a `break`
 * in `for await`), `throw()` or the abort `signal` end it at once and call `onDone`, as does the
 * end of the queue after `end()`.
 *
 * @param onDone - called once when the iteration is over, to unsubscribe the sink
 * @param signal - ends the iteration when aborted
 */
export function createEventStream<T>(
  onDone: () => void,
  signal?: AbortSignal,
): { sink: StreamSink<T>; iterator: AsyncIterableIterator<T> } {
  let queue: T[] = [];
  let head = 0;
  let waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  let ended = false;
  let failure: SseClientError | undefined;
  let finished = false;

  function finish(): void {
    if (finished) return;
    finished = true;
    ended = true;
    queue = [];
    head = 0;
    signal?.removeEventListener('abort', onAbort);
    onDone();
  }

  function onAbort(): void {
    finish();
    waiting?.resolve({ value: undefined, done: true });
    waiting = undefined;
  }

  const sink: StreamSink<T> = {
    push(value) {
      if (ended) return;
      if (waiting !== undefined) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve({ value, done: false });
        return;
      }
      queue.push(value);
    },
    end(error) {
      if (ended) return;
      ended = true;
      failure = error;
      if (waiting === undefined) return;
      const pending = waiting;
      waiting = undefined;
      finish();
      if (error === undefined) pending.resolve({ value: undefined, done: true });
      else pending.reject(error);
    },
  };

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (head < queue.length) {
        const value = queue[head] as T;
        queue[head++] = undefined as T; // release the reference for the garbage collector
        if (head === queue.length) {
          queue = [];
          head = 0;
        }
        return Promise.resolve({ value, done: false });
      }
      if (ended) {
        const error = finished ? undefined : failure;
        finish();
        return error === undefined
          ? Promise.resolve({ value: undefined, done: true })
          : Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      onAbort();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      onAbort();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  if (signal?.aborted) finish();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return { sink, iterator };
}
