import { settle, settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import type { FetchLike } from './runtime-types';

const { server, connect } = useMockNetwork();

/** A fetch that never answers, recording the signals it was given. */
function hangingFetch() {
  const signals: AbortSignal[] = [];
  const fetch: FetchLike = (_input, init) => {
    signals.push(init.signal!);
    return new Promise<Response>(() => {});
  };
  return { signals, fetch };
}

describe('close() in every phase', () => {
  it('while the request is in flight: aborts the fetch and leaves no timer', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const { signals, fetch } = hangingFetch();
    const { client, states } = connect({ fetch });
    await settleUntil(() => expect(signals).toHaveLength(1));
    client.close();
    expect(signals[0]!.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(states).toEqual(['connecting', 'closed']);
  });

  it('while open and watched: cancels the body, stops the watchdog and the health timer', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1', heartbeatMs: 1000 }));
    await settleUntil(() => expect(client.lastEventId).toBe('1'));
    expect(vi.getTimerCount()).toBe(2); // the health timer and the watchdog
    client.close();
    expect(vi.getTimerCount()).toBe(0);
    await settle();
    // The body was cancelled: what the server writes now goes nowhere.
    endpoint.latest.send(frame('user:left', { userId: 'late' }, '2'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(client.lastEventId).toBe('1');
    expect(client.state).toBe('closed');
  });

  it('while waiting to reconnect: cancels the timer', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503 }));
    const { client } = connect();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(vi.getTimerCount()).toBe(1);
    client.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('from a handler: nothing else runs, nothing is scheduled', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, states } = connect();
    const seen: string[] = [];
    client.on('user:left', (data) => {
      seen.push(data.userId);
      client.close();
    });
    // Registered after the closing handler: not called for the event that closed the client.
    client.on('user:left', (data) => void seen.push(`second handler: ${data.userId}`));
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + frame('user:left', { userId: 'b' }, '2'));
    await settleUntil(() => expect(seen).toHaveLength(1));
    await settle();
    expect(seen).toEqual(['a']);
    expect(vi.getTimerCount()).toBe(0);
    expect(states).toEqual(['connecting', 'open', 'closed']);
    expect(client.getSnapshot()).toMatchObject({
      state: 'closed',
      retryAt: null,
      attempt: 0,
      lastEventId: '1',
    });
  });
});

describe('connect()', () => {
  it('opens one stream however often it is called', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ autoConnect: false });
    client.connect();
    client.connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    client.connect();
    await settle();
    expect(endpoint.received).toHaveLength(1);
  });

  it('does not cut a pending backoff short', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect({ random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    client.connect();
    await settle();
    expect(endpoint.received).toHaveLength(1);
  });

  it('from a state listener on closed: the new connection and the stream() made with it live on', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    let iterator: AsyncIterableIterator<unknown> | undefined;
    const off = client.onState((state) => {
      if (state !== 'closed') return;
      off();
      client.connect();
      iterator = client.stream();
    });
    client.close();
    await settleUntil(() => {
      expect(client.state, 'the new connection').toBe('open');
      expect(endpoint.received, 'the new connection').toHaveLength(2);
    });
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1'));
    expect(await iterator!.next()).toMatchObject({ done: false, value: { type: 'user:left', id: '1' } });
  });
});

describe('resume point', () => {
  it('treats the lastEventId it starts from as delivered', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ lastEventId: '5' });
    const seen: string[] = [];
    client.on('user:left', (_data, meta) => void seen.push(meta.id));
    await settleUntil(() => expect(client.state).toBe('open'));
    // An at-least-once server replays from the resume point, inclusive.
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '5') + frame('user:left', { userId: 'b' }, '6'));
    await settleUntil(() => expect(client.lastEventId).toBe('6'));
    expect(seen).toEqual(['6']);
  });
});
