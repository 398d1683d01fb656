import { clampDelay, MAX_TIMER_DELAY_MS } from '@app/sse-protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClampedTimeout } from './timer';

afterEach(() => vi.useRealTimers());

describe('clampDelay', () => {
  it('keeps delays a timer can hold, and brings the others into [0, 2^31 - 1]', () => {
    expect([0, 1, 1500, MAX_TIMER_DELAY_MS].map(clampDelay)).toEqual([0, 1, 1500, MAX_TIMER_DELAY_MS]);
    expect(
      [-5, Number.NaN, MAX_TIMER_DELAY_MS + 1, 3 * 715_827_883, Number.POSITIVE_INFINITY].map(clampDelay),
    ).toEqual([0, 0, MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS]);
    expect(MAX_TIMER_DELAY_MS).toBe(2 ** 31 - 1);
  });
});

describe('setClampedTimeout', () => {
  it('waits the longest a timer can for a longer delay, instead of firing at once', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setClampedTimeout(fired, 10 * MAX_TIMER_DELAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});
