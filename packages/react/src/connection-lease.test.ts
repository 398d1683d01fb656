import { createClient } from '@app/sse-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { events } from '../test/support/catalog';
import { createConnectionLease } from './connection-lease';

afterEach(() => void vi.useRealTimers());

/** A real client whose connection attempt stays pending: the lease's decisions show in its state. */
function pendingClient() {
  return createClient({
    url: 'http://127.0.0.1/events',
    events,
    autoConnect: false,
    fetch: () => new Promise<Response>(() => {}),
  });
}

describe('createConnectionLease', () => {
  it('closes the client once the idle time of the managing holders passed after the last one left', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = pendingClient();
    const release = createConnectionLease(client, true, 100).acquire();
    expect(client.state).toBe('connecting');
    release();
    vi.advanceTimersByTime(99);
    expect(client.state).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(client.state).toBe('closed');
  });

  it('closes nothing when only an unmanaged set held the client since its count last left 0', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = pendingClient();
    const managed = createConnectionLease(client, true, 100);
    const unmanaged = createConnectionLease(client, false, 100);
    managed.acquire()();
    // Within the managed set's idle time, an unmanaged component takes the stream over, then leaves:
    // the application, not the managed set that left before, decides when it closes.
    vi.advanceTimersByTime(50);
    unmanaged.acquire()();
    vi.advanceTimersByTime(1000);
    expect(client.state).toBe('connecting');
    // A managing holder again: its idle time applies once it leaves.
    managed.acquire()();
    vi.advanceTimersByTime(100);
    expect(client.state).toBe('closed');
  });
});
