import { SseClientError } from './errors';
import { createQueue } from './queue';

/** The producer side of one `stream()` iterator. */
export interface StreamSink<T> {
  /** Queues a value for the loop (or hands it to a waiting `next()`). */
  push(value: T): void;
  /** Ends the iteration after the queued values: quietly, or by throwing `error`. */
  end(error?: SseClientError): void;
}

/** Default of `StreamOptions.maxBuffered`: how many events a `stream()` loop may fall behind. */
export const DEFAULT_STREAM_BUFFER = 10_000;

interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: unknown): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * Creates an async iterator fed through a {@link StreamSink}.
 *
 * Values queue until the loop takes them, up to `maxBuffered`: a loop that falls further behind
 * (or an iterator nobody reads) is unsubscribed at once, so it cannot hold memory without bound,
 * and it throws a `stream-overflow` error once it has taken the values queued before that point,
 * so the gap is never silent. Every pending `next()` is settled, in order, also when several were
 * called without awaiting. `return()` (a `break` in `for await`), `throw()` or the abort `signal`
 * end it at once, dropping the queue.
 *
 * @param onDone - called once when no more values will be accepted, to unsubscribe the sink
 * @param signal - ends the iteration when aborted
 * @param maxBuffered - the most values queued for the loop @defaultValue {@link DEFAULT_STREAM_BUFFER}
 */
export function createEventStream<T>(
  onDone: () => void,
  signal?: AbortSignal,
  maxBuffered: number = DEFAULT_STREAM_BUFFER,
): { sink: StreamSink<T>; iterator: AsyncIterableIterator<T> } {
  const queue = createQueue<T>();
  const waiters = createQueue<Waiter<T>>();
  let ended = false; // no more values are accepted
  let failure: SseClientError | undefined; // thrown by the next() that finds the queue empty
  let detached = false;

  function detach(): void {
    if (detached) return;
    detached = true;
    signal?.removeEventListener('abort', stop);
    onDone();
  }

  /** Ends the iteration: the first pending next() gets the failure (if any), the others done. */
  function settleWaiters(): void {
    for (let waiter = waiters.shift(); waiter !== undefined; waiter = waiters.shift()) {
      if (failure === undefined) waiter.resolve(DONE);
      else {
        const error = failure;
        failure = undefined;
        waiter.reject(error);
      }
    }
  }

  function stop(): void {
    ended = true;
    failure = undefined;
    queue.clear();
    detach();
    settleWaiters();
  }

  function finish(error: SseClientError | undefined): void {
    ended = true;
    failure = error;
    detach();
    // Waiters only exist while the queue is empty, so they can be settled now.
    settleWaiters();
  }

  const sink: StreamSink<T> = {
    push(value) {
      if (ended) return;
      const waiter = waiters.shift();
      if (waiter !== undefined) waiter.resolve({ value, done: false });
      else if (queue.size < maxBuffered) queue.push(value);
      else {
        finish(
          new SseClientError(
            'stream-overflow',
            `a stream() loop fell ${maxBuffered} events behind; it ends after the ${maxBuffered} queued events, and later ones were not queued (raise maxBuffered, or keep the loop body fast)`,
          ),
        );
      }
    },
    end: (error) => {
      if (!ended) finish(error);
    },
  };

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (queue.size > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (!ended) return new Promise((resolve, reject) => void waiters.push({ resolve, reject }));
      const error = failure;
      failure = undefined;
      return error === undefined ? Promise.resolve(DONE) : Promise.reject(error);
    },
    return() {
      stop();
      return Promise.resolve(DONE);
    },
    throw(error?: unknown) {
      stop();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  return { sink, iterator };
}
