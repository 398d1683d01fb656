import { encodeComment } from '@app/sse-protocol';
import { settleUntil } from '@app/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

describe('watchdog', () => {
  it('drops a connection silent for 3 heartbeat intervals and resumes', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ random: () => 0 });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1-5', heartbeatMs: 1000 }));
    await settleUntil(() => expect(client.lastEventId).toBe('1-5'));
    await vi.advanceTimersByTimeAsync(2999);
    expect(client.state).toBe('open');
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([['watchdog', false]]);
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => {
      expect(endpoint.received).toHaveLength(2);
      expect(client.state).toBe('open');
    });
    expect(endpoint.received[1]!.request.headers.get('last-event-id')).toBe('1-5');
  });

  it('never cuts a quiet stream that keeps sending heartbeat comments', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1', heartbeatMs: 1000 }));
    await settleUntil(() => expect(client.lastEventId).toBe('1'));
    for (let beat = 0; beat < 120; beat++) {
      await vi.advanceTimersByTimeAsync(1000);
      endpoint.latest.send(encodeComment());
    }
    expect(client.state).toBe('open');
    expect(errors).toEqual([]);
    expect(endpoint.received).toHaveLength(1);
  });

  it('counts events as signs of life too, and honours the multiplier option', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ watchdog: 2 });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1', heartbeatMs: 500 }));
    for (let index = 0; index < 5; index++) {
      await vi.advanceTimersByTimeAsync(900);
      endpoint.latest.send(frame('user:left', { userId: 'u' }, String(index + 2)));
    }
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors.map((error) => error.code)).toEqual(['watchdog']);
  });

  it('stays off with watchdog: false, and when the server sends no heartbeats', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const off = connect({ watchdog: false });
    await settleUntil(() => expect(off.client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1', heartbeatMs: 100 }));
    const silent = connect();
    await settleUntil(() => expect(silent.client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1', heartbeatMs: 0 }));
    await settleUntil(() => {
      expect(off.client.lastEventId).toBe('1');
      expect(silent.client.lastEventId).toBe('1');
    });
    await vi.advanceTimersByTimeAsync(600_000);
    expect([off.client.state, silent.client.state]).toEqual(['open', 'open']);
    expect([...off.errors, ...silent.errors]).toEqual([]);
  });
});
