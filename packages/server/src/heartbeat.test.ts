import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHeartbeat, heartbeatSlices } from './heartbeat';

afterEach(() => {
  vi.useRealTimers();
});

describe('heartbeatSlices', () => {
  it('cuts an interval into one slice a second, at most 16, and short intervals not at all', () => {
    expect([40, 1000, 1999, 2000, 15_000, 16_500, 60_000].map(heartbeatSlices)).toEqual([
      1, 1, 1, 2, 15, 16, 16,
    ]);
  });
});

describe('createHeartbeat', () => {
  it('ticks each slice in turn, each once per interval, never later than the interval', () => {
    vi.useFakeTimers();
    const ticks: string[] = [];
    const heartbeat = createHeartbeat(16_500, (slice, slices) => void ticks.push(`${slice}/${slices}`));
    heartbeat.update(1);
    // 16 slices of floor(16,500 / 16) = 1,031 ms: a slice comes back after 16,496 ms.
    vi.advanceTimersByTime(1030);
    expect(ticks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ticks).toEqual(['0/16']);
    vi.advanceTimersByTime(15 * 1031);
    expect(ticks).toEqual(Array.from({ length: 16 }, (_, slice) => `${slice}/16`));
    vi.advanceTimersByTime(1031);
    expect(ticks.at(-1)).toBe('0/16');
    heartbeat.stop();
  });

  it('runs only while a connection is open, and never after stop()', () => {
    vi.useFakeTimers();
    let ticks = 0;
    const heartbeat = createHeartbeat(1000, () => {
      ticks += 1;
    });
    vi.advanceTimersByTime(5000);
    expect(ticks).toBe(0);
    heartbeat.update(2);
    vi.advanceTimersByTime(2000);
    expect(ticks).toBe(2);
    heartbeat.update(0);
    vi.advanceTimersByTime(5000);
    expect(ticks).toBe(2);
    heartbeat.update(1);
    vi.advanceTimersByTime(1000);
    expect(ticks).toBe(3);
    heartbeat.stop();
    heartbeat.update(1);
    vi.advanceTimersByTime(5000);
    expect(ticks).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('makes no timer when the interval is 0', () => {
    vi.useFakeTimers();
    const heartbeat = createHeartbeat(0, () => undefined);
    heartbeat.update(5);
    expect(vi.getTimerCount()).toBe(0);
  });
});
