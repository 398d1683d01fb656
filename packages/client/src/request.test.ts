import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  acceptsSignal,
  resolveOption,
  streamHeaders,
  utf8HeaderValue,
  withLastEventIdQuery,
} from './request';

afterEach(() => vi.unstubAllGlobals());

describe('streamHeaders', () => {
  it('adds Accept and Last-Event-ID to the user headers', () => {
    const headers = streamHeaders({ authorization: 'Bearer x' }, '1-2');
    expect([...headers]).toEqual([
      ['accept', 'text/event-stream'],
      ['authorization', 'Bearer x'],
      ['last-event-id', '1-2'],
    ]);
  });

  it('keeps a user Accept and drops a user Last-Event-ID when there is nothing to resume', () => {
    const headers = streamHeaders(
      [
        ['Accept', 'text/event-stream, */*'],
        ['Last-Event-ID', 'stale'],
      ],
      '',
    );
    expect(headers.get('accept')).toBe('text/event-stream, */*');
    expect(headers.has('last-event-id')).toBe(false);
  });

  it('encodes non-ASCII IDs as UTF-8 bytes', () => {
    expect(utf8HeaderValue('abc')).toBe('abc');
    expect(utf8HeaderValue('é')).toBe('\u00c3\u00a9');
    expect(streamHeaders(undefined, '☃').get('last-event-id')).toBe('\u00e2\u0098\u0083');
  });
});

describe('withLastEventIdQuery', () => {
  it('sets, replaces and removes the lastEventId parameter on absolute URLs', () => {
    expect(withLastEventIdQuery('https://a.test/events?x=1', '1-2')).toBe(
      'https://a.test/events?x=1&lastEventId=1-2',
    );
    expect(withLastEventIdQuery(new URL('https://a.test/events?lastEventId=old'), 'new id')).toBe(
      'https://a.test/events?lastEventId=new+id',
    );
    expect(withLastEventIdQuery('https://a.test/events?lastEventId=old', '')).toBe('https://a.test/events');
  });

  it('resolves a relative URL against the page location', () => {
    vi.stubGlobal('location', { href: 'https://app.test/dashboard/' });
    expect(withLastEventIdQuery('/events', '7')).toBe('https://app.test/events?lastEventId=7');
  });

  it('resolves a relative URL against the baseUrl option before the page location', () => {
    vi.stubGlobal('location', { href: 'https://app.test/dashboard/' });
    expect(withLastEventIdQuery('events', '7', 'https://api.test/v1/')).toBe(
      'https://api.test/v1/events?lastEventId=7',
    );
  });

  it('edits a relative URL as text where there is no page', () => {
    expect(withLastEventIdQuery('/events', 'a&b')).toBe('/events?lastEventId=a%26b');
    expect(withLastEventIdQuery('/events?x=1#top', '7')).toBe('/events?x=1&lastEventId=7#top');
    expect(withLastEventIdQuery('/events', '')).toBe('/events');
  });
});

describe('resolveOption', () => {
  it('returns values, calls functions and awaits promises', async () => {
    expect(await resolveOption('a')).toBe('a');
    expect(await resolveOption(() => 'b')).toBe('b');
    expect(await resolveOption(async () => 'c')).toBe('c');
  });
});

describe('acceptsSignal', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("accepts this runtime's own signals", () => {
    expect(acceptsSignal(new AbortController().signal)).toBe(true);
  });

  it("leaves out a signal this runtime's fetch refuses (jsdom's AbortController beside Node's fetch)", () => {
    const NodeRequest = globalThis.Request;
    class Refusing extends NodeRequest {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init?.signal !== undefined)
          throw new TypeError('Expected signal to be an instance of AbortSignal');
        super(input, init);
      }
    }
    vi.stubGlobal('Request', Refusing);
    expect(acceptsSignal(new AbortController().signal)).toBe(false);
    vi.unstubAllGlobals();
    // Probed again once the constructors change back.
    expect(acceptsSignal(new AbortController().signal)).toBe(true);
  });
});
