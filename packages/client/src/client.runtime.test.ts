import { settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

/** Removes every browser global the client could look at, as in Node or a bare runtime. */
function stubBareRuntime(): void {
  for (const name of ['navigator', 'document', 'window', 'self', 'location', 'EventSource', 'reportError']) {
    vi.stubGlobal(name, undefined);
  }
  vi.stubGlobal('addEventListener', undefined);
  vi.stubGlobal('removeEventListener', undefined);
}

describe('runtimes without browser globals', () => {
  it('connects, delivers, reconnects and closes with no navigator, document, window or location', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    stubBareRuntime();
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503 }));
    const { client, errors } = connect({ pauseWhenHidden: true, random: () => 0 });
    const seen: string[] = [];
    client.on('user:left', (data) => void seen.push(data.userId));
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().paused).toBeNull();
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1'));
    await settleUntil(() => expect(seen).toHaveLength(1));
    client.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(errors.map((error) => error.code)).toEqual(['http-status']);
  });

  it('hands an error thrown by an onError listener to console.error where there is no reportError', async () => {
    stubBareRuntime();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const endpoint = mockEndpoint(server, STREAM_URL);
      const { client } = connect();
      const thrown = new Error('listener bug');
      client.onError(() => {
        throw thrown;
      });
      await settleUntil(() => expect(client.state).toBe('open'));
      endpoint.latest.send('event: user:renamed\ndata: {}\n\n');
      await settleUntil(() => expect(consoleError.mock.calls).toHaveLength(1));
      expect(consoleError.mock.calls[0]).toEqual([thrown]);
      expect(client.state).toBe('open');
    } finally {
      consoleError.mockRestore();
    }
  });

  it('works in a worker-like scope: online events on the global object, no document', async () => {
    const scope = new EventTarget();
    vi.stubGlobal('document', undefined);
    vi.stubGlobal('navigator', { onLine: false });
    vi.stubGlobal('addEventListener', scope.addEventListener.bind(scope));
    vi.stubGlobal('removeEventListener', scope.removeEventListener.bind(scope));
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ pauseWhenHidden: true });
    expect(client.getSnapshot().paused).toBe('offline');
    (globalThis as { navigator: { onLine: boolean } }).navigator.onLine = true;
    scope.dispatchEvent(new Event('online'));
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(1);
    });
  });
});
