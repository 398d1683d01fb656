import { createServer } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type ServerHttp2Stream,
} from 'node:http2';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ChannelSender,
  type CloseOptions,
  type ConnectionInfo,
  createEmitter,
  type DisconnectInfo,
  type DisconnectReason,
  type EmitterHealth,
  type EmitterStats,
  type Http2StreamRequest,
  httpError,
  type NodeHandler,
  type NodeRequest,
  type PublishResult,
} from '../src/index';
import { events, type TestEvents } from './support/catalog';

const sse = createEmitter({ events });

describe('publishing types', () => {
  it('accepts catalog names with their payloads and resolves to { id, delivered }', () => {
    expectTypeOf(sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' })).toEqualTypeOf<
      Promise<PublishResult>
    >();
    // The input type: a field with a schema default may be left out.
    expectTypeOf(sse.to('user:u1').send('notification', { message: 'Shipped' })).toEqualTypeOf<
      Promise<PublishResult>
    >();
    expectTypeOf(sse.to('a', 'b')).toEqualTypeOf<ChannelSender<TestEvents>>();
    expectTypeOf<PublishResult>().toEqualTypeOf<{ id: string; delivered: number }>();
  });

  it('does not compile a wrong event name or payload', () => {
    // @ts-expect-error an event the catalog does not define
    void sse.broadcast('user:gone', { userId: 'u1' });
    // @ts-expect-error a field of the wrong type
    void sse.broadcast('user:joined', { userId: 1, name: 'Ada' });
    // @ts-expect-error a missing field
    void sse.broadcast('user:joined', { userId: 'u1' });
    // @ts-expect-error a value outside the enum
    void sse.to('user:u1').send('notification', { message: 'x', severity: 'fatal' });
    // @ts-expect-error the payload of another event
    void sse.to('room:1').send('tick', { message: 'x' });
    // @ts-expect-error no payload
    void sse.broadcast('tick');
    // @ts-expect-error a protocol event is not the catalog's to send
    void sse.broadcast('sse:hello', { clientId: 'x', fingerprint: 'y', heartbeatMs: 0 });
  });
});

describe('handler types', () => {
  it('serves Express, node:http and node:http2 with the same handler', () => {
    const app = express();
    app.get('/events', sse.handler());
    app.get(
      '/me/events',
      sse.handler({
        authorize: (req: express.Request) => (req.get('authorization') ? { userId: 'u1' } : false),
        channels: (req, { userId }) => [`team:${req.query.team}`, `audit:${userId}`],
      }),
    );
    createServer(sse.handler());
    createHttp2Server(sse.handler());
    createHttp2Server(sse.handler({ authorize: (req: Http2ServerRequest) => req.scheme === 'http' }));
    expectTypeOf(sse.handler()).toEqualTypeOf<NodeHandler>();
  });

  it('types authorize answers', () => {
    sse.handler({ authorize: async () => ({ userId: 'u1' }) });
    sse.handler({ authorize: () => true });
    sse.handler({
      authorize: () => {
        throw httpError(403, 'no');
      },
    });
    // @ts-expect-error an answer that is not { userId }, true or false
    sse.handler({ authorize: () => ({ id: 'u1' }) });
    // @ts-expect-error channels are strings
    sse.handler({ channels: () => [1, 2] });
  });

  it('types the connection hooks with the endpoint request type', () => {
    sse.handler({
      authorize: (req: express.Request) => ({ userId: String(req.get('x-user')) }),
      onConnect: (info) => {
        expectTypeOf(info).toEqualTypeOf<ConnectionInfo<express.Request>>();
        expectTypeOf(info.request).toEqualTypeOf<express.Request>();
        expectTypeOf(info.channels).toEqualTypeOf<readonly string[]>();
        expectTypeOf(info.userId).toEqualTypeOf<string | undefined>();
        expectTypeOf(info.clientId).toBeString();
      },
      onDisconnect: async (info) => {
        expectTypeOf(info).toEqualTypeOf<DisconnectInfo<express.Request>>();
        expectTypeOf(info.reason).toEqualTypeOf<DisconnectReason>();
      },
    });
    sse.handler({ onConnect: ({ request }) => expectTypeOf(request).toEqualTypeOf<NodeRequest>() });
    sse.fetchHandler(new Request('http://x/'), {
      onDisconnect: ({ request }) => expectTypeOf(request).toEqualTypeOf<Request>(),
    });
    expectTypeOf<DisconnectReason>().toEqualTypeOf<
      'client-gone' | 'slow-consumer' | 'closed' | 'store-failed'
    >();
    // @ts-expect-error the channels handed to a hook are read-only copies
    sse.handler({ onConnect: ({ channels }) => channels.push('room:1') });
    // @ts-expect-error a hook takes the info object, not a request
    sse.handler({ onConnect: (info: express.Request) => info.get('x') });
  });

  it('serves node:http2 stream events, with the stream type the hooks are typed with', () => {
    const server = createHttp2Server();
    server.on('stream', sse.http2StreamHandler());
    server.on('stream', (stream, headers) => sse.http2StreamHandler()(stream, headers));
    sse.http2StreamHandler({
      authorize: (req) => {
        expectTypeOf(req).toEqualTypeOf<Http2StreamRequest>();
        expectTypeOf(req.url).toEqualTypeOf<string>();
        return req.headers.authorization === 'Bearer t';
      },
    });
    sse.http2StreamHandler({
      onConnect: ({ request }: { request: Http2StreamRequest<ServerHttp2Stream> }) =>
        request.stream.session?.ping(() => undefined),
    });
    // @ts-expect-error a stream handler is not a request listener
    createHttp2Server(sse.http2StreamHandler());
  });

  it('answers fetch Requests with Responses', () => {
    expectTypeOf(sse.fetchHandler).parameter(0).toEqualTypeOf<Request>();
    expectTypeOf(sse.fetchHandler(new Request('http://x/'))).toEqualTypeOf<Promise<Response>>();
    sse.fetchHandler(new Request('http://x/'), { authorize: (req) => req.headers.has('cookie') });
  });

  it('describes stats', () => {
    expectTypeOf(sse.stats()).toEqualTypeOf<EmitterStats>();
    expectTypeOf(sse.stats().slowDisconnects).toBeNumber();
    expectTypeOf(sse.close).parameter(0).toEqualTypeOf<CloseOptions | undefined>();
    expectTypeOf<CloseOptions>().toEqualTypeOf<{ retryMs?: number; drainMs?: number }>();
    expectTypeOf(sse.health()).resolves.toEqualTypeOf<EmitterHealth>();
    expectTypeOf<EmitterHealth['state']>().toEqualTypeOf<'open' | 'draining' | 'closed'>();
  });
});
