import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWatchdog } from './watchdog';

afterEach(() => vi.useRealTimers());

describe('createWatchdog', () => {
  it('fires once after the timeout of silence, and never while touched', () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const watchdog = createWatchdog(onTimeout);
    watchdog.start(300, 100);
    for (let index = 0; index < 10; index++) {
      vi.advanceTimersByTime(250);
      watchdog.touch();
    }
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(299);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('after a stall of the process, waits the grace period for pending input before judging', () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const watchdog = createWatchdog(onTimeout);
    watchdog.start(300, 100);
    // The process was frozen for 5 s: the clock moved, the timer could not run.
    vi.setSystemTime(Date.now() + 5000);
    vi.advanceTimersByTime(300);
    expect(onTimeout).not.toHaveBeenCalled();
    // The input that waited in the socket arrives first.
    watchdog.touch();
    vi.advanceTimersByTime(100);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('fires after the grace period when nothing was pending after all', () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const watchdog = createWatchdog(onTimeout);
    watchdog.start(300, 100);
    vi.setSystemTime(Date.now() + 5000);
    vi.advanceTimersByTime(300);
    vi.advanceTimersByTime(99);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('stops', () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const watchdog = createWatchdog(onTimeout);
    watchdog.start(300, 100);
    watchdog.stop();
    vi.advanceTimersByTime(10_000);
    expect(onTimeout).not.toHaveBeenCalled();
  });
});

describe('createWatchdog with a timeout past what a timer can hold', () => {
  it('neither fires early nor re-arms in a loop, and still fires once the whole timeout passed', () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const watchdog = createWatchdog(onTimeout);
    // heartbeatMs 715,827,883 (the first that overflows) times the default 3.
    const heartbeatMs = 715_827_883;
    const armed = vi.spyOn(globalThis, 'setTimeout');
    watchdog.start(3 * heartbeatMs, heartbeatMs);
    // An overflowing timer fires after 1 ms and re-arms: about a thousand timers in a second.
    vi.advanceTimersByTime(1000);
    expect([armed.mock.calls.length, onTimeout.mock.calls.length]).toEqual([1, 0]);
    vi.advanceTimersByTime(2 ** 31 - 1 - 1000);
    expect(onTimeout).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(3 * heartbeatMs - (2 ** 31 - 1) - 1);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits out an Infinity timeout (a huge heartbeat times the multiplier) without a loop', () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const watchdog = createWatchdog(onTimeout);
    const armed = vi.spyOn(globalThis, 'setTimeout');
    watchdog.start(Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER);
    vi.advanceTimersByTime(1000);
    expect(armed).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * (2 ** 31 - 1));
    // Re-armed once per longest timer: 10 more.
    expect(armed).toHaveBeenCalledTimes(11);
    expect(onTimeout).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    watchdog.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
