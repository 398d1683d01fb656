import { afterEach, describe, expect, it, vi } from 'vitest';
import { events } from '../test/support/catalog';
import { createClient } from './client';
import { type ClientOptions, resolveOptions } from './options';

afterEach(() => vi.unstubAllGlobals());

const base: ClientOptions<typeof events> = { url: 'http://sse.test/events', events };

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions(base);
    expect(resolved).toMatchObject({
      transport: 'fetch',
      backoff: { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 'full' },
      maxRetries: Number.POSITIVE_INFINITY,
      lastEventId: '',
      maxEventIdLength: 256,
      baseUrl: undefined,
      validate: true,
      autoConnect: true,
      watchdog: 3,
      pauseWhenHidden: false,
      credentials: undefined,
    });
    expect(resolved.random).toBe(Math.random);
  });

  it.each<[string, Partial<ClientOptions<typeof events>>, RegExp]>([
    [
      'a missing url',
      { url: undefined as unknown as string },
      /url option must be a string, a URL or a function/,
    ],
    [
      'a missing catalog',
      { events: {} as typeof events },
      /events option must be a catalog made by defineEvents/,
    ],
    [
      'a bad transport',
      { transport: 'websocket' as 'fetch' },
      /transport option must be 'fetch' or 'eventsource'/,
    ],
    [
      'a negative initialMs',
      { backoff: { initialMs: -1 } },
      /backoff.initialMs must be a number at least 0, or Infinity, got -1/,
    ],
    [
      'maxMs below initialMs',
      { backoff: { initialMs: 5000, maxMs: 1000 } },
      /backoff.maxMs \(1000\) is below/,
    ],
    ['a factor below 1', { backoff: { factor: 0.5 } }, /backoff.factor must be a number at least 1, got 0.5/],
    ['an empty share key', { share: { key: '' } }, /share option must be true, false or \{ key \}/],
    [
      'share: true with computed headers',
      { share: true, headers: () => ({ authorization: 'Bearer t' }) },
      /share: true cannot tell whose stream it is from a computed headers: give share: \{ key \}/,
    ],
    [
      'share: true with a computed url and body',
      { share: true, url: () => 'http://sse.test/events', method: 'POST', body: () => 'q' },
      /from a computed url or body/,
    ],
    [
      'an unknown jitter',
      { backoff: { jitter: 'some' as 'full' } },
      /backoff.jitter must be one of full, equal, none/,
    ],
    [
      'a fractional maxRetries',
      { maxRetries: 1.5 },
      /maxRetries must be an integer at least 0, or Infinity, got 1.5/,
    ],
    ['an ID with LF', { lastEventId: 'a\nb' }, /lastEventId must be a string without control characters/],
    [
      'an ID with a control character',
      { lastEventId: 'a\u0001' },
      /without control characters other than tab/,
    ],
    [
      'a zero maxEventIdLength',
      { maxEventIdLength: 0 },
      /maxEventIdLength must be an integer at least 1, got /,
    ],
    [
      'an endless maxEventIdLength',
      { maxEventIdLength: Number.POSITIVE_INFINITY },
      /maxEventIdLength must be an integer at least 1, got /,
    ],
    [
      'a lastEventId over maxEventIdLength',
      { lastEventId: 'x'.repeat(257) },
      /lastEventId is 257 characters long, over maxEventIdLength \(256\)/,
    ],
    ['a relative baseUrl', { baseUrl: 'api/' }, /baseUrl option must be an absolute URL/],
    ['a watchdog of 1', { watchdog: 1 }, /watchdog must be false or a number of heartbeat intervals above 1/],
    [
      'a fetch that is not a function',
      { fetch: 'fetch' as unknown as typeof fetch },
      /the fetch option must be a function/,
    ],
    [
      'a random that is not a function',
      { random: 0.5 as unknown as () => number },
      /the random option must be a function/,
    ],
    [
      'an EventSource that is not a constructor',
      { transport: 'eventsource', EventSource: {} as unknown as typeof EventSource },
      /the EventSource option must be a constructor/,
    ],
    [
      'a validate that is not a boolean',
      { validate: 'no' as unknown as boolean },
      /the validate option must be a boolean/,
    ],
    [
      'an autoConnect that is not a boolean',
      { autoConnect: 0 as unknown as boolean },
      /the autoConnect option must be a boolean/,
    ],
    [
      'a pauseWhenHidden that is not a boolean',
      { pauseWhenHidden: 'yes' as unknown as boolean },
      /the pauseWhenHidden option must be a boolean/,
    ],
    [
      'an unknown credentials mode',
      { credentials: 'always' as RequestCredentials },
      /the credentials option must be one of/,
    ],
  ])('refuses %s at once', (_name, patch, message) => {
    expect(() => createClient({ ...base, ...patch })).toThrow(message);
  });

  it('needs an EventSource for the eventsource transport, and refuses headers with it', () => {
    vi.stubGlobal('EventSource', undefined);
    expect(() => resolveOptions({ ...base, transport: 'eventsource' })).toThrow(/no global EventSource/);
    class FakeSource extends EventTarget {
      readyState = 0;
      close() {}
    }
    expect(() =>
      resolveOptions({ ...base, transport: 'eventsource', EventSource: FakeSource, headers: {} }),
    ).toThrow(/an EventSource cannot send headers: use the fetch transport/);
    const resolved = resolveOptions({ ...base, transport: 'eventsource', EventSource: FakeSource });
    expect(resolved.watchdog).toBe(0);
  });

  it('needs a fetch somewhere', () => {
    vi.stubGlobal('fetch', undefined);
    expect(() => resolveOptions(base)).toThrow(/no global fetch: pass one as the fetch option/);
    expect(() => resolveOptions({ ...base, fetch: async () => new Response() })).not.toThrow();
  });

  it('prefixes every message with the package name', () => {
    expect(() => createClient(null as unknown as typeof base)).toThrow(/^@app\/sse-client: /);
  });
});
