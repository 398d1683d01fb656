import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPresenceTracker } from '../src/server/presence-tracker';

describe('createPresenceTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function tracker() {
    const calls: string[] = [];
    const presence = createPresenceTracker({
      graceMs: 1000,
      onJoin: (userId) => calls.push(`join ${userId}`),
      onLeave: (userId) => calls.push(`leave ${userId}`),
    });
    return { presence, calls };
  }

  it('joins on the first stream and leaves after the last one closed and the grace period passed', () => {
    const { presence, calls } = tracker();
    presence.connected('ada');
    presence.connected('ada');
    presence.disconnected('ada');
    expect(calls).toEqual(['join ada']);
    presence.disconnected('ada');
    vi.advanceTimersByTime(999);
    expect(calls).toEqual(['join ada']);
    expect(presence.online()).toEqual(['ada']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['join ada', 'leave ada']);
    expect(presence.online()).toEqual([]);
  });

  it('a reconnect inside the grace period is neither a leave nor a join', () => {
    const { presence, calls } = tracker();
    presence.connected('ada');
    presence.disconnected('ada');
    vi.advanceTimersByTime(500);
    presence.connected('ada');
    vi.advanceTimersByTime(5000);
    expect(calls).toEqual(['join ada']);
  });

  it('tracks users apart and ignores a close it never saw open', () => {
    const { presence, calls } = tracker();
    presence.disconnected('nobody');
    presence.connected('ada');
    presence.connected('grace');
    presence.disconnected('grace');
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['join ada', 'join grace', 'leave grace']);
    expect(presence.online()).toEqual(['ada']);
  });

  it('close cancels pending leaves', () => {
    const { presence, calls } = tracker();
    presence.connected('ada');
    presence.disconnected('ada');
    presence.close();
    vi.advanceTimersByTime(5000);
    expect(calls).toEqual(['join ada']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
