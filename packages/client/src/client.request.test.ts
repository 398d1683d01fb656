import { afterEach, describe, expect, it, vi } from 'vitest';
import { frame } from '../test/support/catalog';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint, mockStream, sseResponse, until } from '../test/support/mock-endpoint';
import type { FetchLike } from './options';

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
    await until(() => endpoint.received.length === 1);
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
    await until(() => client.state === 'open');
    expect(inits).toHaveLength(1);
    expect('cache' in inits[0]!).toBe(false);
  });

  it('sends no Last-Event-ID after an empty id: field reset the last event ID', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ lastEventId: '3', random: () => 0 });
    await until(() => client.state === 'open');
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '4'));
    await until(() => client.lastEventId === '4');
    endpoint.latest.send('id:\ndata: {"userId":"b"}\nevent: user:left\n\n');
    await until(() => client.lastEventId === '');
    endpoint.latest.end();
    await until(() => endpoint.received.length === 2, 'the reconnection');
    expect(endpoint.received.map((entry) => entry.request.headers.get('last-event-id'))).toEqual(['3', null]);
  });
});

describe('a URL fetch cannot take', () => {
  it('closes with a fatal request error instead of retrying a relative URL where there is no page', async () => {
    const { client, errors } = connect({ url: '/events' });
    await until(() => client.state === 'closed');
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([['request', true]]);
    expect(errors[0]!.message).toMatch(/"\/events" is not a valid URL.*absolute/);
  });

  it('resolves a relative URL against the page', async () => {
    vi.stubGlobal('location', { href: 'http://sse.test/dashboard/' });
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect({ url: () => '/events' });
    await until(() => client.state === 'open');
    expect(endpoint.received).toHaveLength(1);
  });

  it('leaves a relative URL to a fetch option, which may resolve it itself', async () => {
    const { inits, fetch } = recordingFetch();
    const { client } = connect({ url: '/events', fetch });
    await until(() => client.state === 'open');
    expect(inits).toHaveLength(1);
  });
});
