import { describe, expect, it, vi } from 'vitest';
import { SseClientError } from './errors';
import { createEventStream } from './event-stream';

describe('createEventStream', () => {
  it('hands queued values out in order, then waits for the next', async () => {
    const { sink, iterator } = createEventStream<number>(() => {});
    sink.push(1);
    sink.push(2);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    expect(await iterator.next()).toEqual({ value: 2, done: false });
    const pending = iterator.next();
    sink.push(3);
    expect(await pending).toEqual({ value: 3, done: false });
  });

  it('ends after the queued values and calls onDone once', async () => {
    const onDone = vi.fn();
    const { sink, iterator } = createEventStream<number>(onDone);
    sink.push(1);
    sink.end();
    sink.push(2);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('throws the error it was ended with after the queued values, once', async () => {
    const { sink, iterator } = createEventStream<number>(() => {});
    const error = new SseClientError('unauthorized', 'no', { fatal: true });
    sink.push(1);
    sink.end(error);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    await expect(iterator.next()).rejects.toBe(error);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a waiting next() when ended with an error', async () => {
    const { sink, iterator } = createEventStream<number>(() => {});
    const pending = iterator.next();
    const error = new SseClientError('retries-exhausted', 'gave up', { fatal: true });
    sink.end(error);
    await expect(pending).rejects.toBe(error);
  });

  it('ends at once on return(), dropping the queue', async () => {
    const onDone = vi.fn();
    const { sink, iterator } = createEventStream<number>(onDone);
    sink.push(1);
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('starts ended with an already aborted signal', async () => {
    const onDone = vi.fn();
    const { iterator } = createEventStream<number>(onDone, AbortSignal.abort());
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});

describe('createEventStream: concurrent next() calls', () => {
  it('settles every pending next() in order, none left hanging', async () => {
    const { sink, iterator } = createEventStream<number>(() => {});
    const first = iterator.next();
    const second = iterator.next();
    const third = iterator.next();
    sink.push(1);
    sink.push(2);
    sink.end();
    expect(await Promise.all([first, second, third])).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: undefined, done: true },
    ]);
  });

  it('rejects the first pending next() with the error and ends the others', async () => {
    const { sink, iterator } = createEventStream<number>(() => {});
    const first = iterator.next();
    const second = iterator.next();
    const error = new SseClientError('unauthorized', 'no', { fatal: true });
    sink.end(error);
    await expect(first).rejects.toBe(error);
    expect(await second).toEqual({ value: undefined, done: true });
  });

  it('ends every pending next() on return()', async () => {
    const onDone = vi.fn();
    const { iterator } = createEventStream<number>(onDone);
    const pending = [iterator.next(), iterator.next()];
    await iterator.return!();
    expect(await Promise.all(pending)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});

describe('createEventStream: a slow consumer', () => {
  it('queues at most maxBuffered values, then unsubscribes and throws stream-overflow after them', async () => {
    const onDone = vi.fn();
    const { sink, iterator } = createEventStream<number>(onDone, undefined, 3);
    for (let value = 1; value <= 5; value++) sink.push(value);
    // Unsubscribed at once: an abandoned iterator stops holding memory.
    expect(onDone).toHaveBeenCalledTimes(1);
    const taken: number[] = [];
    let thrown: unknown;
    try {
      for await (const value of iterator) taken.push(value);
    } catch (error) {
      thrown = error;
    }
    expect(taken).toEqual([1, 2, 3]);
    expect(thrown).toBeInstanceOf(SseClientError);
    expect(thrown).toMatchObject({ code: 'stream-overflow', fatal: false });
    expect((thrown as Error).message).toMatch(/^@app\/sse-client: a stream\(\) loop fell 3 events behind/);
  });

  it('never overflows a consumer that keeps up, however many values pass', async () => {
    const { sink, iterator } = createEventStream<number>(() => {}, undefined, 2);
    for (let value = 0; value < 10_000; value++) {
      sink.push(value);
      expect(await iterator.next()).toEqual({ value, done: false });
    }
  });
});
