import { settle, settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { isSseClientError } from './errors';

const { server, connect } = useMockNetwork();

/** Collects what a stream() loop ends with: `'done'` or the error it threw. */
function loopOutcome(iterator: AsyncIterableIterator<unknown>): Promise<unknown> {
  return (async () => {
    for await (const _event of iterator) {
      /* drain */
    }
    return 'done';
  })().catch((error: unknown) => error);
}

describe('statuses that stop the client', () => {
  it('stops quietly on 204 No Content', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 204 }));
    const { client, errors, states } = connect();
    const outcome = loopOutcome(client.stream());
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(errors).toEqual([]);
    expect(states).toEqual(['connecting', 'closed']);
    expect(await outcome).toBe('done');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(endpoint.received).toHaveLength(1);
  });

  it.each([401, 403])('stops with a fatal unauthorized error on %i', async (status) => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse('no', { status }));
    const { client, errors } = connect();
    const outcome = loopOutcome(client.stream());
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['unauthorized', status, true],
    ]);
    expect(errors[0]!.message).toMatch(/^@app\/sse-client: the server refused the stream with \d{3}/);
    expect(await outcome).toBe(errors[0]);
    expect(client.getSnapshot().error).toBe(errors[0]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(endpoint.received).toHaveLength(1);
  });

  it.each([400, 404, 410, 201])('stops with a fatal http-status error on %i', async (status) => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status }));
    const { client, errors } = connect();
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['http-status', status, true],
    ]);
    expect(endpoint.received).toHaveLength(1);
  });

  it('stops with a fatal content-type error when the answer is not an event stream', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => HttpResponse.html('<h1>login</h1>'));
    const { client, errors } = connect();
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([['content-type', true]]);
    expect(errors[0]!.message).toContain('text/html');
  });

  it('accepts parameters on the content type', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(
      () =>
        new HttpResponse(frame('user:left', { userId: 'u' }, '1'), {
          headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' },
        }),
    );
    const { client, errors } = connect();
    const left: string[] = [];
    client.on('user:left', (data) => void left.push(data.userId));
    await settleUntil(() => expect(left).toHaveLength(1));
    expect(errors).toEqual([]);
  });
});

describe('listeners that act on errors', () => {
  it('lets an onError listener refresh the credentials and connect() again after a 401', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 401 }));
    let token = 'expired';
    const { client, errors, states } = connect({ headers: () => ({ authorization: `Bearer ${token}` }) });
    client.onError((error) => {
      if (error.code !== 'unauthorized') return;
      token = 'fresh';
      client.connect();
    });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(errors.map((error) => error.code)).toEqual(['unauthorized']);
    expect(states).toEqual(['connecting', 'closed', 'connecting', 'open']);
    expect(endpoint.received.map((entry) => entry.request.headers.get('authorization'))).toEqual([
      'Bearer expired',
      'Bearer fresh',
    ]);
  });

  it('schedules nothing when an onError listener closes the client on a retryable error', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503 }));
    const { client, states } = connect();
    client.onError(() => client.close());
    await settleUntil(() => expect(client.state).toBe('closed'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(states).toEqual(['connecting', 'closed']);
    expect(client.getSnapshot().retryAt).toBeNull();
    expect(endpoint.received).toHaveLength(1);
  });
});

describe('failures that reconnect', () => {
  it.each([500, 502, 503, 504, 408, 429])('reconnects after %i', async (status) => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status }));
    const { client, errors } = connect({ random: () => 0 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.state).toBe('reconnecting');
    expect(errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['http-status', status, false],
    ]);
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(endpoint.received).toHaveLength(2);
    expect(client.getSnapshot().error).toBe(errors[0]);
  });

  it('reconnects after a network error', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => HttpResponse.error());
    const { client, errors } = connect({ random: () => 0 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(errors.map((error) => error.code)).toEqual(['network']);
    expect(isSseClientError(errors[0])).toBe(true);
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => expect(client.state).toBe('open'));
  });

  it('reconnects when the stream breaks or ends, dropping an event cut in the middle', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors, states } = connect({ random: () => 0 });
    const left: string[] = [];
    client.on('user:left', (data) => void left.push(data.userId));
    await settleUntil(() => expect(client.state).toBe('open'));
    const whole = frame('user:left', { userId: 'b' }, '2');
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + whole.slice(0, 20));
    await settleUntil(() => expect(left).toHaveLength(1));
    endpoint.latest.fail(new Error('socket hang up'));
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(errors.map((error) => error.code)).toEqual(['network']);
    expect(errors[0]!.message).toContain('socket hang up');
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
    expect(endpoint.received[1]!.request.headers.get('last-event-id')).toBe('1');
    endpoint.latest.send(whole);
    await settleUntil(() => expect(left).toHaveLength(2));
    endpoint.latest.send(whole.slice(0, 10));
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(errors).toHaveLength(1);
    expect(left).toEqual(['a', 'b']);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open', 'reconnecting']);
  });
});

describe('close()', () => {
  it('cancels a scheduled reconnection', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    client.close();
    expect(client.getSnapshot()).toMatchObject({ state: 'closed', retryAt: null });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(endpoint.received).toHaveLength(1);
  });

  it('stops reading: events after close() reach no handler', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    const left: string[] = [];
    client.on('user:left', (data) => {
      left.push(data.userId);
      if (data.userId === 'a') client.close();
    });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + frame('user:left', { userId: 'b' }, '2'));
    endpoint.latest.send(frame('user:left', { userId: 'c' }, '3'));
    await settleUntil(() => expect(left.length).toBeGreaterThanOrEqual(1));
    await settle();
    expect(left).toEqual(['a']);
    expect(client.lastEventId).toBe('1');
  });

  it('can be called from a state listener while connecting', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, states } = connect({ autoConnect: false });
    client.onState((state) => {
      if (state === 'connecting') client.close();
    });
    client.connect();
    expect(states).toEqual(['connecting', 'closed']);
    await settle();
    expect(endpoint.received).toHaveLength(0);
  });
});
