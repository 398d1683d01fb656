import { settleUntil } from '@app/test-utils';
import { EventSource } from 'eventsource';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

/** The `eventsource` package's EventSource, recording how it was constructed. */
function recordingEventSource() {
  const created: { url: string; withCredentials: boolean | undefined }[] = [];
  class Recording extends EventSource {
    constructor(url: string, init?: { withCredentials?: boolean }) {
      super(url, init);
      created.push({ url, withCredentials: init?.withCredentials });
    }
  }
  return { created, EventSource: Recording };
}

function lastEventIdParam(entry: { request: Request }): string | null {
  return new URL(entry.request.url).searchParams.get('lastEventId');
}

/**
 * The `eventsource` package behaving like a browser's native EventSource, whose error events
 * carry no status: the `code` and `message` it adds are dropped.
 */
class StatuslessEventSource extends EventSource {
  override dispatchEvent(event: Event): boolean {
    return super.dispatchEvent(event.type === 'error' ? new Event('error') : event);
  }
}

describe('eventsource transport', () => {
  it('delivers events through an EventSource and consumes the protocol events', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ transport: 'eventsource', EventSource });
    const received: string[] = [];
    client.on('user:joined', (data, meta) => void received.push(`${data.name}@${meta.id}`));
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(helloFrame({ id: '1-0', clientId: 'c9' }));
    endpoint.latest.send(frame('user:joined', { userId: 'u', name: 'Ada' }, '1-1'));
    endpoint.latest.send('data: plain\n\n');
    await settleUntil(() => {
      expect(received).toHaveLength(1);
      expect(errors).toHaveLength(1);
    });
    expect(received).toEqual(['Ada@1-1']);
    expect(client.getSnapshot().clientId).toBe('c9');
    expect(errors.map((error) => [error.code, error.event])).toEqual([['unknown-event', 'message']]);
  });

  it('resolves a relative URL against the baseUrl option, as a polyfill outside browsers needs', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const recording = recordingEventSource();
    const { client, errors } = connect({
      transport: 'eventsource',
      EventSource: recording.EventSource,
      url: '/events',
      baseUrl: 'http://sse.test/app/',
      lastEventId: '1-0',
    });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(recording.created.map((entry) => entry.url)).toEqual(['http://sse.test/events?lastEventId=1-0']);
    expect([endpoint.received.length, errors]).toEqual([1, []]);
  });

  it('takes over reconnection: closes the EventSource and resumes with the lastEventId query parameter', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const recording = recordingEventSource();
    const { client } = connect({
      transport: 'eventsource',
      EventSource: recording.EventSource,
      lastEventId: '1-0',
      random: () => 0.5,
      credentials: 'include',
    });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '1-1'));
    await settleUntil(() => expect(client.lastEventId).toBe('1-1'));
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot().retryAt! - Date.now()).toBe(500);
    await vi.advanceTimersByTimeAsync(500);
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(2);
    });
    // Had the EventSource been left to reconnect on its own, more requests would show up.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(endpoint.received.map(lastEventIdParam)).toEqual(['1-0', '1-1']);
    expect(recording.created).toEqual([
      { url: `${STREAM_URL}?lastEventId=1-0`, withCredentials: true },
      { url: `${STREAM_URL}?lastEventId=1-1`, withCredentials: true },
    ]);
  });

  it('maps the status codes the eventsource package reports', async () => {
    const unauthorized = mockEndpoint(server, STREAM_URL);
    unauthorized.next(() => new HttpResponse(null, { status: 401 }));
    const first = connect({ transport: 'eventsource', EventSource });
    await settleUntil(() => expect(first.client.state).toBe('closed'));
    expect(first.errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['unauthorized', 401, true],
    ]);

    unauthorized.next(() => new HttpResponse(null, { status: 204 }));
    const second = connect({ transport: 'eventsource', EventSource });
    await settleUntil(() => expect(second.client.state).toBe('closed'));
    expect(second.errors).toEqual([]);

    unauthorized.next(() => HttpResponse.json({}));
    const third = connect({ transport: 'eventsource', EventSource });
    await settleUntil(() => expect(third.client.state).toBe('closed'));
    expect(third.errors.map((error) => [error.code, error.fatal])).toEqual([['content-type', true]]);
  });

  it('retries a 503 with backoff', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503 }));
    const { client, errors } = connect({ transport: 'eventsource', EventSource, random: () => 0 });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['http-status', 503, false],
    ]);
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => expect(client.state).toBe('open'));
  });

  it('retries an EventSource that gives up without saying why, and one whose stream broke', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 401 }));
    const { client, errors } = connect({
      transport: 'eventsource',
      EventSource: StatuslessEventSource,
      random: () => 0,
    });
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([['http-status', false]]);
    expect(errors[0]!.message).toContain('the EventSource refused the response');
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.fail(new Error('reset'));
    await settleUntil(() => expect(errors).toHaveLength(2));
    expect(errors[1]!.code).toBe('network');
    await vi.advanceTimersToNextTimerAsync();
    await settleUntil(() => {
      expect(client.state).toBe('open');
      expect(endpoint.received).toHaveLength(3);
    });
  });
});
