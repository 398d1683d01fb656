import { MAX_TIMER_DELAY_MS } from '@app/sse-protocol';
import { settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

/** The smallest heartbeatMs whose default watchdog (3 intervals) passes 2^31 - 1 ms. */
const OVERFLOWING_HEARTBEAT_MS = 715_827_883;

describe('delays past what a timer can hold', () => {
  it('watches a huge heartbeatMs from sse:hello without firing early or re-arming in a loop', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    const armed = vi.spyOn(globalThis, 'setTimeout');
    endpoint.latest.send(helloFrame({ id: '1-1', heartbeatMs: OVERFLOWING_HEARTBEAT_MS }));
    await settleUntil(() => expect(client.lastEventId).toBe('1-1'));
    await vi.advanceTimersByTimeAsync(10_000);
    // The watchdog armed once, for the longest a timer can wait; an overflowing timer would fire
    // at once (Node: after 1 ms) and re-arm, again and again.
    expect(armed.mock.calls.map((call) => call[1])).toEqual([MAX_TIMER_DELAY_MS]);
    expect([client.state, errors]).toEqual(['open', []]);
    await vi.advanceTimersByTimeAsync(3 * OVERFLOWING_HEARTBEAT_MS - 10_001);
    expect([client.state, errors]).toEqual(['open', []]);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors.map((error) => error.code)).toEqual(['watchdog']);
    expect(armed.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('waits the longest a timer can for a huge Retry-After, then reconnects once', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503, headers: { 'retry-after': '99999999999' } }));
    const { client } = connect({ random: () => 0 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    // The snapshot tells the time the attempt really starts.
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(MAX_TIMER_DELAY_MS);
    const armed = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(1000);
    expect([endpoint.received.length, armed.mock.calls.length]).toEqual([1, 0]);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY_MS - 1001);
    expect(endpoint.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settleUntil(() => {
      expect(endpoint.received, 'the reconnection').toHaveLength(2);
      expect(client.state, 'the reconnection').toBe('open');
    });
    expect(endpoint.received).toHaveLength(2);
  });

  it('waits the longest a timer can for a huge backoff setting', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect({ backoff: { initialMs: 1e12, maxMs: 1e12, jitter: 'none' } });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(MAX_TIMER_DELAY_MS);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY_MS - 1);
    expect(endpoint.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settleUntil(() => expect(endpoint.received, 'the reconnection').toHaveLength(2));
    expect(endpoint.received).toHaveLength(2);
  });
});
