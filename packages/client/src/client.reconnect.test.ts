import { seededRandom, settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { HEALTHY_AFTER_MS } from './reconnect-loop';

const { server, connect } = useMockNetwork();

/** Delays between consecutive requests, in (fake) milliseconds. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((time, index) => time - (times[index] as number));
}

describe('reconnection schedule', () => {
  it('backs off exponentially from initialMs, capped at maxMs, with the jitter applied to each ceiling', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    for (let index = 0; index < 8; index++) endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect({ random: () => 0.5, backoff: { initialMs: 1000, maxMs: 30_000, factor: 2 } });
    for (let request = 1; request <= 8; request++) {
      await settleUntil(() => expect(endpoint.received, `request ${request}`).toHaveLength(request));
      await settleUntil(() =>
        expect(client.getSnapshot().retryAt, 'the retry to be scheduled').not.toBeNull(),
      );
      await vi.advanceTimersByTimeAsync(client.getSnapshot().retryAt! - Date.now());
    }
    await settleUntil(() => expect(endpoint.received, 'request 9').toHaveLength(9));
    // Ceilings 1, 2, 4, 8, 16, 30, 30, 30 s; random 0.5 takes half of each.
    expect(gaps(endpoint.received.map((entry) => entry.at))).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
    expect(client.getSnapshot().attempt).toBe(8);
  });

  it('draws each delay from the whole window [0, ceiling) with full jitter', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    for (let index = 0; index < 4; index++) endpoint.next(() => new HttpResponse(null, { status: 503 }));
    const draws = [0, 0.999_999, 0.25, 0];
    const { client } = connect({ random: () => draws.shift() ?? 0 });
    const delays: number[] = [];
    for (let request = 1; request <= 4; request++) {
      await settleUntil(() => expect(endpoint.received, `request ${request}`).toHaveLength(request));
      await settleUntil(() =>
        expect(client.getSnapshot().retryAt, 'the retry to be scheduled').not.toBeNull(),
      );
      const delay = client.getSnapshot().retryAt! - Date.now();
      delays.push(delay);
      await vi.advanceTimersByTimeAsync(delay);
    }
    // Ceilings 1000, 2000, 4000, 8000 ms.
    expect(delays).toEqual([0, 1999, 1000, 0]);
  });

  it('uses Math.random by default and keeps every delay inside its window', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.spyOn(Math, 'random').mockReturnValue(0.75);
    const endpoint = mockEndpoint(server, STREAM_URL);
    for (let index = 0; index < 5; index++) endpoint.next(() => new HttpResponse(null, { status: 502 }));
    const { client } = connect();
    const delays: number[] = [];
    for (let request = 1; request <= 5; request++) {
      await settleUntil(() => expect(endpoint.received, `request ${request}`).toHaveLength(request));
      await settleUntil(() =>
        expect(client.getSnapshot().retryAt, 'the retry to be scheduled').not.toBeNull(),
      );
      delays.push(client.getSnapshot().retryAt! - Date.now());
      await vi.advanceTimersByTimeAsync(delays.at(-1)!);
    }
    expect(delays).toEqual([750, 1500, 3000, 6000, 12_000]);
  });

  // The server's retry: is waited whole, then the jittered backoff on top, based on it. Nothing was
  // delivered, so each connection was not healthy: attempt 0, whose ceiling is the base itself.
  it.each([
    { retry: 6000, random: 0.5, maxMs: 30_000, wait: 6000 + 3000, case: 'retry:, then half the backoff' },
    { retry: 2500, random: 0, maxMs: 30_000, wait: 2500, case: 'never sooner than retry:' },
    { retry: 120_000, random: 0.5, maxMs: 30_000, wait: 120_000 + 15_000, case: 'retry: above maxMs' },
    { retry: 0, random: 0.5, maxMs: 30_000, wait: 50, case: 'retry: 0, backoff base 100 ms' },
  ])('reconnects after $wait ms: $case ($retry, random $random)', async ({ retry, random, maxMs, wait }) => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ random: () => random, backoff: { maxMs } });
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    endpoint.latest.send(`retry: ${retry}\n`);
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(wait);
    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(endpoint.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
  });

  it(`starts the backoff again after a healthy connection (open ${HEALTHY_AFTER_MS} ms), not on its first event`, async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    for (let index = 0; index < 3; index++) endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect({ random: () => 0.5 });
    for (let request = 1; request <= 3; request++) {
      await settleUntil(() => expect(endpoint.received).toHaveLength(request));
      await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
      await vi.advanceTimersByTimeAsync(client.getSnapshot().retryAt! - Date.now());
    }
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(client.getSnapshot().attempt).toBe(3);
    endpoint.latest.send(helloFrame({ id: '1-0' }));
    await settleUntil(() => expect(client.lastEventId).toBe('1-0'));
    // Neither the greeting nor an application event proves the connection healthy; time does.
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '1-1'));
    await settleUntil(() => expect(client.lastEventId).toBe('1-1'));
    expect(client.getSnapshot().attempt).toBe(3);
    await vi.advanceTimersByTimeAsync(HEALTHY_AFTER_MS);
    expect(client.getSnapshot().attempt).toBe(0);
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(500);
  });

  it('counts a connection that stays open 5 s as healthy even without events', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect({ random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    await vi.advanceTimersByTimeAsync(500);
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(client.getSnapshot().attempt).toBe(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(client.getSnapshot().attempt).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.getSnapshot().attempt).toBe(0);
  });

  it('keeps backing off when a server accepts and drops at once', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ random: () => 0.5 });
    const delays: number[] = [];
    for (let request = 1; request <= 3; request++) {
      await settleUntil(() => expect(endpoint.received).toHaveLength(request));
      await settleUntil(() => expect(client.state).toBe('open'));
      endpoint.latest.end();
      await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
      delays.push(client.getSnapshot().retryAt! - Date.now());
      await vi.advanceTimersByTimeAsync(delays.at(-1)!);
    }
    expect(delays).toEqual([500, 1000, 2000]);
    // A clean end of the stream is not an error.
    expect(errors).toEqual([]);
  });
});

describe('many clients', () => {
  it('spreads the return of 200 clients that lose the server at the same moment over the window', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    // A seeded generator in place of Math.random, so the spread is reproducible.
    vi.spyOn(Math, 'random').mockImplementation(seededRandom(7));
    const endpoint = mockEndpoint(server, STREAM_URL);
    const clients = Array.from({ length: 200 }, () => connect().client);
    await settleUntil(() =>
      expect(
        clients.every((client) => client.state === 'open'),
        'every client to connect',
      ).toBe(true),
    );
    for (const entry of endpoint.received) entry.stream!.end();
    await settleUntil(() =>
      expect(
        clients.every((client) => client.getSnapshot().retryAt !== null),
        'every retry',
      ).toBe(true),
    );
    const now = Date.now();
    const delays = clients.map((client) => client.getSnapshot().retryAt! - now);
    const slots = new Array<number>(10).fill(0);
    for (const delay of delays) slots[Math.floor(delay / 100)]!++;
    // About 20 per 100 ms slot of the first 1 s window; no slot holds a burst.
    expect(Math.max(...slots)).toBeLessThan(40);
    expect(Math.min(...slots)).toBeGreaterThan(5);
  });
});

describe('Retry-After', () => {
  it('waits at least Retry-After seconds on 503, then the jittered backoff on top', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503, headers: { 'retry-after': '7' } }));
    const { client, errors } = connect({ random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(7500);
    expect(errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['http-status', 503, false],
    ]);
    await vi.advanceTimersByTimeAsync(7499);
    expect(endpoint.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
  });

  it('reads an HTTP date in Retry-After on 429', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(
      () =>
        new HttpResponse(null, { status: 429, headers: { 'retry-after': 'Tue, 01 Jan 2030 00:01:00 GMT' } }),
    );
    const { client } = connect({ random: () => 0 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt).toBe(Date.parse('2030-01-01T00:01:00Z'));
  });

  it("waits the larger of Retry-After and the server's retry:, then the backoff on top", async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ random: () => 0.5 });
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    endpoint.next(() => new HttpResponse(null, { status: 503, headers: { 'retry-after': '2' } }));
    endpoint.latest.send('retry: 9000\n');
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    await vi.advanceTimersByTimeAsync(client.getSnapshot().retryAt! - Date.now());
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    await settleUntil(() => expect(client.getSnapshot().attempt).toBe(2));
    // Attempt 1: the floor is retry: 9000 (above Retry-After's 2 s), plus half the ceiling 18000.
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(9000 + 9000);
  });

  it('ignores an unreadable Retry-After', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503, headers: { 'retry-after': 'soon' } }));
    const { client } = connect({ random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(500);
  });
});

describe('maxRetries', () => {
  it('gives up with a fatal retries-exhausted after maxRetries failed attempts', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    for (let index = 0; index < 3; index++) endpoint.next(() => HttpResponse.error());
    const { client, errors, states } = connect({ maxRetries: 2, random: () => 0 });
    const loop = (async () => {
      for await (const _event of client.stream()) {
        /* no events */
      }
    })();
    const loopDone = loop.then(
      () => 'ended',
      (error: unknown) => error,
    );
    for (let request = 1; request <= 3; request++) {
      await settleUntil(() => expect(endpoint.received, `request ${request}`).toHaveLength(request));
      await settleUntil(() =>
        expect(client.getSnapshot().retryAt !== null || client.state === 'closed').toBe(true),
      );
      await vi.advanceTimersToNextTimerAsync();
    }
    await settleUntil(() => expect(client.state, 'the client to give up').toBe('closed'));
    expect(endpoint.received).toHaveLength(3);
    expect(errors.map((error) => error.code)).toEqual(['network', 'network', 'network', 'retries-exhausted']);
    const exhausted = errors.at(-1)!;
    expect(exhausted.fatal).toBe(true);
    expect(exhausted.cause).toBe(errors[2]);
    expect(states).toEqual(['connecting', 'reconnecting', 'closed']);
    expect(await loopDone).toBe(exhausted);
    expect(client.getSnapshot().error).toBe(exhausted);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(endpoint.received).toHaveLength(3);
  });

  it('does not reconnect at all with maxRetries: 0', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client, errors } = connect({ maxRetries: 0 });
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(errors.map((error) => error.code)).toEqual(['http-status', 'retries-exhausted']);
  });
});

describe('resume', () => {
  it('sends Last-Event-ID on every reconnection, starting from the lastEventId option', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ lastEventId: '1-4', random: () => 0 });
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    endpoint.latest.send(frame('user:left', { userId: 'u1' }, '1-5'));
    await settleUntil(() => expect(client.lastEventId).toBe('1-5'));
    endpoint.latest.end();
    await vi.advanceTimersByTimeAsync(0);
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    endpoint.latest.fail();
    await vi.advanceTimersByTimeAsync(0);
    await settleUntil(() => expect(endpoint.received).toHaveLength(3));
    expect(endpoint.received.map((entry) => entry.request.headers.get('last-event-id'))).toEqual([
      '1-4',
      '1-5',
      '1-5',
    ]);
    expect(endpoint.received[0]!.request.headers.get('accept')).toBe('text/event-stream');
  });

  it('sends no Last-Event-ID before any ID is known', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    connect();
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    expect(endpoint.received[0]!.request.headers.has('last-event-id')).toBe(false);
  });

  it('sends a non-ASCII ID as its UTF-8 bytes, as an EventSource does', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    connect({ lastEventId: 'é-1' });
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    const raw = endpoint.received[0]!.request.headers.get('last-event-id')!;
    const bytes = Uint8Array.from(raw, (char) => char.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe('é-1');
  });

  it('resumes from the last event ID after close() and connect()', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, states } = connect();
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    endpoint.latest.send(frame('user:left', { userId: 'u1' }, 'a7'));
    await settleUntil(() => expect(client.lastEventId).toBe('a7'));
    client.close();
    expect(client.state).toBe('closed');
    client.connect();
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received[1]!.request.headers.get('last-event-id')).toBe('a7');
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  it('re-evaluates headers and url functions on every connection attempt', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    let token = 0;
    const { client } = connect({
      url: () => new URL(`${STREAM_URL}?attempt=${token}`),
      headers: async () => ({ authorization: `Bearer t${++token}` }),
      credentials: 'include',
      random: () => 0,
    });
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    await vi.advanceTimersByTimeAsync(0);
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received.map((entry) => entry.request.headers.get('authorization'))).toEqual([
      'Bearer t1',
      'Bearer t2',
    ]);
    expect(endpoint.received.map((entry) => new URL(entry.request.url).searchParams.get('attempt'))).toEqual([
      '0',
      '1',
    ]);
    expect(endpoint.received[0]!.request.credentials).toBe('include');
  });

  it('reports a throwing headers function as a request error and retries', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    let calls = 0;
    const { client, errors } = connect({
      headers: () => {
        calls++;
        if (calls === 1) throw new Error('token refresh failed');
        return { authorization: 'Bearer fresh' };
      },
      random: () => 0,
    });
    await settleUntil(() => expect(errors).toHaveLength(1));
    expect(errors[0]!.code).toBe('request');
    expect(errors[0]!.message).toContain('token refresh failed');
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(0);
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    expect(endpoint.received[0]!.request.headers.get('authorization')).toBe('Bearer fresh');
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const endpoint = mockEndpoint(server, STREAM_URL);
    connect({
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    expect(seen).toEqual([STREAM_URL]);
  });
});
