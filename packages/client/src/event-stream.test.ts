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
