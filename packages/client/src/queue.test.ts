import { describe, expect, it } from 'vitest';
import { createQueue } from './queue';

describe('createQueue', () => {
  it('hands values out first in, first out', () => {
    const queue = createQueue<number>();
    for (let value = 0; value < 5; value++) queue.push(value);
    expect(queue.size).toBe(5);
    expect([queue.shift(), queue.shift()]).toEqual([0, 1]);
    queue.push(5);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([2, 3, 4, 5]);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('keeps its storage proportional to the backlog when the consumer lags steadily', () => {
    const queue = createQueue<number>();
    queue.push(-1);
    // One in, one out with one value always waiting: the queue never empties on its own.
    const taken: number[] = [];
    for (let value = 0; value < 100_000; value++) {
      queue.push(value);
      taken.push(queue.shift()!);
    }
    expect(taken.every((value, index) => value === index - 1)).toBe(true);
    expect(queue.size).toBe(1);
    expect(queue.capacity).toBeLessThan(5000);
  });

  it('drops everything on clear()', () => {
    const queue = createQueue<string>();
    queue.push('a');
    queue.push('b');
    queue.shift();
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.capacity).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
