import { settle, settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

/** Makes the global object an event target with a navigator, as in a browser window. */
function stubWindow(onLine: boolean) {
  const target = new EventTarget();
  const navigator = { onLine };
  vi.stubGlobal('navigator', navigator);
  vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
  vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
  return {
    goOnline() {
      navigator.onLine = true;
      target.dispatchEvent(new Event('online'));
    },
    goOffline() {
      navigator.onLine = false;
      target.dispatchEvent(new Event('offline'));
    },
  };
}

/** A document whose visibility the test controls. */
function stubDocument() {
  const document = Object.assign(new EventTarget(), { hidden: false });
  vi.stubGlobal('document', document);
  return {
    setHidden(hidden: boolean) {
      document.hidden = hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
}

describe('offline', () => {
  it('waits while navigator.onLine is false and connects at once on online', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const window = stubWindow(false);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    expect(client.getSnapshot()).toMatchObject({ state: 'connecting', paused: 'offline', retryAt: null });
    await vi.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(endpoint.received).toHaveLength(0);
    window.goOnline();
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(client.getSnapshot().paused).toBeNull();
  });

  it('skips the rest of the backoff when the browser comes back online', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const window = stubWindow(true);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ random: () => 0.99 });
    await settleUntil(() => expect(client.state).toBe('open'));
    window.goOffline();
    endpoint.latest.fail(new Error('network down'));
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    // The timer fires while still offline: the client waits instead of failing again.
    await vi.advanceTimersToNextTimerAsync();
    expect(client.getSnapshot()).toMatchObject({ state: 'reconnecting', paused: 'offline' });
    expect(endpoint.received).toHaveLength(1);
    window.goOnline();
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
  });

  it('cuts a pending backoff short on online', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const window = stubWindow(true);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ random: () => 0.99 });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    window.goOnline();
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
    expect(endpoint.received[1]!.at - endpoint.received[0]!.at).toBe(0);
  });

  it('removes its listeners on close()', async () => {
    const window = stubWindow(false);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    client.close();
    window.goOnline();
    await settle();
    expect(client.state).toBe('closed');
    expect(endpoint.received).toHaveLength(0);
  });
});

describe('pauseWhenHidden', () => {
  it('closes the connection while the page is hidden and resumes when it shows', async () => {
    const page = stubDocument();
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ pauseWhenHidden: true, lastEventId: '9' });
    await settleUntil(() => expect(client.state).toBe('open'));
    page.setHidden(true);
    expect(client.getSnapshot()).toMatchObject({ state: 'reconnecting', paused: 'hidden' });
    page.setHidden(false);
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
    expect(endpoint.received[1]!.request.headers.get('last-event-id')).toBe('9');
    expect(errors).toEqual([]);
  });

  it('does not connect while hidden at start', async () => {
    const page = stubDocument();
    page.setHidden(true);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ pauseWhenHidden: true });
    await settle();
    expect(client.getSnapshot()).toMatchObject({ state: 'connecting', paused: 'hidden' });
    expect(endpoint.received).toHaveLength(0);
    page.setHidden(false);
    await settleUntil(() => expect(client.state).toBe('open'));
  });

  it('ignores visibility without the option', async () => {
    const page = stubDocument();
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    page.setHidden(true);
    await settle();
    expect(client.state).toBe('open');
    expect(endpoint.received).toHaveLength(1);
  });
});

describe('waiting the server asked for', () => {
  it.each([
    ['a Retry-After', { 'retry-after': '60' }],
    ['the backoff after a server error', {}],
  ])('does not let online cut short %s', async (_name, headers) => {
    vi.useFakeTimers(FAKE_TIMERS);
    const window = stubWindow(true);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503, headers }));
    const { client } = connect({ random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    const retryAt = client.getSnapshot().retryAt!;
    await vi.advanceTimersByTimeAsync(100);
    window.goOnline();
    await settle();
    expect(endpoint.received).toHaveLength(1);
    expect(client.getSnapshot().retryAt).toBe(retryAt);
    await vi.advanceTimersByTimeAsync(retryAt - Date.now());
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
  });

  it('keeps the rest of a pending backoff, Retry-After included, when a hidden page shows again', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const page = stubDocument();
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '30' } }));
    const { client } = connect({ pauseWhenHidden: true, random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    const retryAt = client.getSnapshot().retryAt!;
    page.setHidden(true);
    expect(client.getSnapshot()).toMatchObject({ paused: 'hidden', retryAt: null });
    await vi.advanceTimersByTimeAsync(5000);
    page.setHidden(false);
    await settle();
    expect(endpoint.received).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ state: 'reconnecting', paused: null, retryAt });
    await vi.advanceTimersByTimeAsync(retryAt - Date.now() - 1);
    expect(endpoint.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
  });

  it('connects at once when the page shows after its backoff ran out', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const page = stubDocument();
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 500 }));
    const { client } = connect({ pauseWhenHidden: true, random: () => 0.5 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    page.setHidden(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(endpoint.received).toHaveLength(1);
    page.setHidden(false);
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
  });
});

describe('listeners on the global object', () => {
  it('adds each listener once per connect() and removes it on close() and on a fatal error', async () => {
    stubWindow(true);
    stubDocument();
    const added = vi.spyOn(globalThis as unknown as EventTarget, 'addEventListener');
    const removed = vi.spyOn(globalThis as unknown as EventTarget, 'removeEventListener');
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 401 }));
    const { client } = connect({ pauseWhenHidden: true });
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(added.mock.calls.map(([type]) => type)).toEqual(['online']);
    expect(removed.mock.calls).toEqual(added.mock.calls);
    client.connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    client.close();
    expect(removed.mock.calls).toEqual(added.mock.calls);
    expect(added).toHaveBeenCalledTimes(2);
  });
});
