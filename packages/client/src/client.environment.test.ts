import { describe, expect, it, vi } from 'vitest';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint, settle, until } from '../test/support/mock-endpoint';

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
    await until(() => client.state === 'open');
    expect(client.getSnapshot().paused).toBeNull();
  });

  it('skips the rest of the backoff when the browser comes back online', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const window = stubWindow(true);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ random: () => 0.99 });
    await until(() => client.state === 'open');
    window.goOffline();
    endpoint.latest.fail(new Error('network down'));
    await until(() => client.getSnapshot().retryAt !== null);
    // The timer fires while still offline: the client waits instead of failing again.
    await vi.advanceTimersToNextTimerAsync();
    expect(client.getSnapshot()).toMatchObject({ state: 'reconnecting', paused: 'offline' });
    expect(endpoint.received).toHaveLength(1);
    window.goOnline();
    await until(() => client.state === 'open' && endpoint.received.length === 2);
  });

  it('cuts a pending backoff short on online', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const window = stubWindow(true);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ random: () => 0.99 });
    await until(() => client.state === 'open');
    endpoint.latest.end();
    await until(() => client.getSnapshot().retryAt !== null);
    window.goOnline();
    await until(() => client.state === 'open' && endpoint.received.length === 2);
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
    await until(() => client.state === 'open');
    page.setHidden(true);
    expect(client.getSnapshot()).toMatchObject({ state: 'reconnecting', paused: 'hidden' });
    page.setHidden(false);
    await until(() => client.state === 'open' && endpoint.received.length === 2);
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
    await until(() => client.state === 'open');
  });

  it('ignores visibility without the option', async () => {
    const page = stubDocument();
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    await until(() => client.state === 'open');
    page.setHidden(true);
    await settle();
    expect(client.state).toBe('open');
    expect(endpoint.received).toHaveLength(1);
  });
});
