import { describe, expectTypeOf, it } from 'vitest';
import { events } from '../test/support/catalog';
import { createClient } from './client';
import type { ClientEvent, ClientSnapshot, ClientState, EventMeta, ResetInfo } from './client-api';
import type { SseClientError, SseClientErrorCode } from './errors';

const client = createClient({ url: '/events', events, autoConnect: false });

describe('createClient types', () => {
  it('types handler data and meta from the catalog', () => {
    client.on('user:joined', (data, meta) => {
      expectTypeOf(data).toEqualTypeOf<{ userId: string; name: string }>();
      expectTypeOf(meta).toEqualTypeOf<EventMeta<'user:joined'>>();
      expectTypeOf(meta.id).toBeString();
    });
    client.once('notification', (data) => {
      expectTypeOf(data.severity).toEqualTypeOf<'info' | 'warning' | 'error'>();
    });
    expectTypeOf(client.on('user:left', () => {})).toEqualTypeOf<() => void>();
  });

  it('refuses an event name the catalog does not define', () => {
    // @ts-expect-error: not a catalog event
    client.on('user:renamed', () => {});
    // @ts-expect-error: protocol events are not for handlers
    client.on('sse:hello', () => {});
    // @ts-expect-error: not a catalog event
    client.once('message', () => {});
  });

  it('refuses a payload property the event does not have', () => {
    client.on('user:left', (data) => {
      // @ts-expect-error: user:left has no name
      data.name;
    });
    // @ts-expect-error: the handler expects another payload
    client.on('user:left', (data: { message: string }) => data.message);
  });

  it('yields the narrowed union from stream()', async () => {
    for await (const event of client.stream()) {
      expectTypeOf(event).toEqualTypeOf<ClientEvent<typeof events>>();
      expectTypeOf(event.type).toEqualTypeOf<'user:joined' | 'user:left' | 'notification'>();
      if (event.type === 'notification') {
        expectTypeOf(event.data).toEqualTypeOf<{ message: string; severity: 'info' | 'warning' | 'error' }>();
        // @ts-expect-error: a notification has no userId
        event.data.userId;
      } else if (event.type === 'user:left') {
        expectTypeOf(event.data).toEqualTypeOf<{ userId: string }>();
      }
    }
  });

  it('types listeners, the snapshot and the errors', () => {
    client.onState((state) => {
      expectTypeOf(state).toEqualTypeOf<ClientState>();
    });
    client.onReset((info) => {
      expectTypeOf(info).toEqualTypeOf<ResetInfo>();
    });
    client.onError((error) => {
      expectTypeOf(error).toEqualTypeOf<SseClientError>();
      expectTypeOf(error.code).toEqualTypeOf<SseClientErrorCode>();
    });
    expectTypeOf(client.getSnapshot()).toEqualTypeOf<ClientSnapshot>();
    expectTypeOf(client.lastEventId).toBeString();
    expectTypeOf(client.state).toEqualTypeOf<ClientState>();
  });

  it('types stream() options', () => {
    expectTypeOf(client.stream({ maxBuffered: 100, signal: AbortSignal.timeout(1000) })).toEqualTypeOf<
      AsyncIterableIterator<ClientEvent<typeof events>>
    >();
    // @ts-expect-error: maxBuffered is a number
    client.stream({ maxBuffered: '100' });
    expectTypeOf<'stream-overflow'>().toExtend<SseClientErrorCode>();
  });

  it('keeps the catalog types with validate: false (the server is trusted to send them)', () => {
    const trusting = createClient({ url: '/events', events, validate: false, autoConnect: false });
    trusting.on('user:joined', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ userId: string; name: string }>();
    });
  });

  it('refuses wrong option types', () => {
    // @ts-expect-error: unknown transport
    createClient({ url: '/events', events, transport: 'websocket' });
    // @ts-expect-error: the catalog is required
    createClient({ url: '/events' });
    createClient({ url: () => new URL('https://a.test/events'), events, headers: async () => ({ a: 'b' }) });
  });

  it('takes baseUrl and maxEventIdLength, and reports their errors with literal codes', () => {
    createClient({ url: '/events', baseUrl: 'https://api.example.com', events, maxEventIdLength: 1024 });
    createClient({ url: '/events', baseUrl: new URL('https://api.example.com'), events });
    // @ts-expect-error: baseUrl is a string or a URL
    createClient({ url: '/events', baseUrl: () => 'https://api.example.com', events });
    // @ts-expect-error: maxEventIdLength is a number
    createClient({ url: '/events', events, maxEventIdLength: '256' });
    // @ts-expect-error: maxBufferSize is a number
    createClient({ url: '/events', events, maxBufferSize: '1mb' });
    createClient({ url: '/events', events, method: 'POST', body: () => JSON.stringify({ q: 1 }) });
    createClient({ url: '/events', events, method: 'POST', body: new URLSearchParams({ q: '1' }) });
    // @ts-expect-error: a stream is opened with GET or POST
    createClient({ url: '/events', events, method: 'PUT' });
    // @ts-expect-error: a body is a BodyInit (serialise objects yourself)
    createClient({ url: '/events', events, method: 'POST', body: { q: 1 } });
    expectTypeOf<'invalid-option' | 'oversized-id'>().toExtend<SseClientErrorCode>();
  });

  it('takes share as a boolean or a key, and tells the role in the snapshot', () => {
    createClient({ url: '/events', events, share: true });
    const client = createClient({ url: '/events', events, headers: () => ({}), share: { key: 'user:42' } });
    // @ts-expect-error: the key is a string
    createClient({ url: '/events', events, share: { key: 42 } });
    // @ts-expect-error: share is true, false or { key }
    createClient({ url: '/events', events, share: 'tabs' });
    expectTypeOf(client.getSnapshot().role).toEqualTypeOf<'leader' | 'follower' | null>();
  });
});
