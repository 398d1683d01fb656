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
