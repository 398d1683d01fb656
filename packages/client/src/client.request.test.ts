import { settleUntil } from '@app/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { frame } from '../test/support/catalog';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint, mockStream, sseResponse } from '../test/support/mock-endpoint';
import type { FetchLike } from './runtime-types';

const { server, connect } = useMockNetwork();

afterEach(() => vi.unstubAllGlobals());

/** A fetch that records each RequestInit and answers with an open event stream. */
function recordingFetch() {
  const inits: RequestInit[] = [];
  const fetch: FetchLike = async (_input, init) => {
    inits.push(init);
    return sseResponse(mockStream());
  };
  return { inits, fetch };
}

describe('the request', () => {
  it("asks for no caching through the cache mode, as the spec's EventSource request does, not a header", async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    connect();
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    const { request } = endpoint.received[0]!;
    expect(request.cache).toBe('no-store');
    expect(request.method).toBe('GET');
    // Only CORS-safelisted headers on a first connection: no preflight for a cross-origin stream.
    expect([...request.headers.keys()].filter((name) => name !== 'accept')).toEqual([]);
    expect(request.headers.get('accept')).toBe('text/event-stream');
  });

  it('leaves the cache mode out where the runtime refuses it', async () => {
    class NoCacheRequest extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init?.cache !== undefined) throw new TypeError("The 'cache' field is not implemented.");
        super(input, init);
      }
    }
    vi.stubGlobal('Request', NoCacheRequest);
    const { inits, fetch } = recordingFetch();
    const { client } = connect({ fetch });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(inits).toHaveLength(1);
    expect('cache' in inits[0]!).toBe(false);
  });

  it('sends no Last-Event-ID after an empty id: field reset the last event ID', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ lastEventId: '3', random: () => 0 });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '4'));
    await settleUntil(() => expect(client.lastEventId).toBe('4'));
    endpoint.latest.send('id:\ndata: {"userId":"b"}\nevent: user:left\n\n');
    await settleUntil(() => expect(client.lastEventId).toBe(''));
    endpoint.latest.end();
    await settleUntil(() => expect(endpoint.received, 'the reconnection').toHaveLength(2));
    expect(endpoint.received.map((entry) => entry.request.headers.get('last-event-id'))).toEqual(['3', null]);
  });
});

describe('a URL fetch cannot take', () => {
  it('closes with a fatal invalid-option error naming baseUrl instead of retrying a relative URL where there is no page', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ url: '/events' });
    await settleUntil(() => expect(client.state).toBe('closed'));
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([['invalid-option', true]]);
    expect(errors[0]!.message).toMatch(
      /"\/events" is not an absolute URL.*pass an absolute URL, or the baseUrl option/,
    );
    expect(client.getSnapshot().error).toBe(errors[0]);
    expect(endpoint.received).toEqual([]);
  });

  it('resolves a relative URL against the baseUrl option, at every attempt, also over the page', async () => {
    vi.stubGlobal('location', { href: 'http://elsewhere.test/app/' });
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({
      url: () => 'events?x=1',
      baseUrl: 'http://sse.test/',
      random: () => 0,
    });
    await settleUntil(() => expect(client.state).toBe('open'));
    endpoint.latest.end();
    await settleUntil(() => expect(endpoint.received, 'the reconnection').toHaveLength(2));
    expect(endpoint.received.map((entry) => entry.request.url)).toEqual([
      'http://sse.test/events?x=1',
      'http://sse.test/events?x=1',
    ]);
    expect(errors).toEqual([]);
  });

  it('takes a URL object as baseUrl, and leaves an absolute url alone', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ url: STREAM_URL, baseUrl: new URL('http://other.test/') });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(endpoint.received.map((entry) => entry.request.url)).toEqual([STREAM_URL]);
  });

  it('hands a fetch option the URL resolved against baseUrl', async () => {
    const urls: string[] = [];
    const { fetch } = recordingFetch();
    const { client } = connect({
      url: '/events',
      baseUrl: 'https://api.example.com/v1/',
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(urls).toEqual(['https://api.example.com/events']);
  });

  it('refuses a baseUrl that is not an absolute URL at once', () => {
    expect(() => connect({ url: '/events', baseUrl: '/api' })).toThrow(
      /baseUrl option must be an absolute URL.*"\/api"/,
    );
    expect(() => connect({ url: '/events', baseUrl: 42 as unknown as string })).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
  });

  it('resolves a relative URL against the page', async () => {
    vi.stubGlobal('location', { href: 'http://sse.test/dashboard/' });
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ url: () => '/events' });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(endpoint.received).toHaveLength(1);
  });

  it('leaves a relative URL to a fetch option, which may resolve it itself', async () => {
    const { inits, fetch } = recordingFetch();
    const { client } = connect({ url: '/events', fetch });
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(inits).toHaveLength(1);
  });
});
