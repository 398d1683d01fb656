import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type Settings,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createParser, HELLO_EVENT, type ParsedEvent } from '@app/sse-protocol';
import { waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { createEmitter, type DisconnectInfo, type Emitter, type Http2StreamRequest } from '../src/index';
import { events, type TestEvents } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/**
 * An h2c server whose `/events` streams go to `listener` (anything else gets 404), and a function
 * that opens a client session to it. Sessions are destroyed after the test, then the server closed.
 */
async function serve(
  emitter: Emitter<TestEvents>,
  listener = emitter.http2StreamHandler(),
): Promise<(settings?: Settings) => ClientHttp2Session> {
  fixture.sse = emitter;
  const server: Http2Server = createServer();
  server.on('stream', (stream, headers) => {
    if (headers[':path']?.startsWith('/events')) listener(stream, headers);
    else stream.respond({ ':status': 404 }, { endStream: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sessions: ClientHttp2Session[] = [];
  fixture.onCleanup(async () => {
    for (const session of sessions) session.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (settings = {}) => {
    const session = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { settings });
    sessions.push(session);
    return session;
  };
}

interface OpenedStream {
  stream: ClientHttp2Stream;
  headers: IncomingHttpHeaders;
  received: ParsedEvent[];
  body: () => string;
  ended: Promise<void>;
}

/** Sends a request and reads its answer: the headers, then the body as text and as events. */
async function request(session: ClientHttp2Session, headers: OutgoingHttpHeaders): Promise<OpenedStream> {
  // No request body: the client's half of the stream ends at once, whatever the method.
  const stream = session.request({ ':path': '/events', ...headers }, { endStream: true });
  const received: ParsedEvent[] = [];
  let text = '';
  const parser = createParser({ onEvent: (event) => received.push(event) });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    parser.feed(chunk);
  });
  const ended = new Promise<void>((resolve) => stream.on('close', resolve));
  const answer = await new Promise<IncomingHttpHeaders>((resolve) => stream.on('response', resolve));
  return { stream, headers: answer, received, body: () => text, ended };
}

describe('sse.http2StreamHandler()', () => {
  it('streams typed events on the stream itself, and a new stream resumes from Last-Event-ID', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const connectTo = await serve(
      emitter,
      emitter.http2StreamHandler({ authorize: (req) => ({ userId: String(req.headers['x-user']) }) }),
    );
    const session = connectTo();
    const first = await request(session, { 'x-user': 'ada' });
    expect(first.headers[':status']).toBe(200);
    expect(first.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-cache, no-transform');
    // HTTP/2 forbids the connection-specific header (RFC 9113, section 8.2.2), and nginx, the
    // only reader of X-Accel-Buffering, proxies to HTTP/1.x upstreams only.
    expect(first.headers.connection).toBeUndefined();
    expect(first.headers['x-accel-buffering']).toBeUndefined();
    await waitFor(() => expect(first.received, 'sse:hello').toHaveLength(1));
    expect(first.received[0]?.event).toBe(HELLO_EVENT);

    const one = await emitter.to('user:ada').send('tick', { n: 1 });
    await waitFor(() => expect(first.received, 'the first tick').toHaveLength(2));
    expect(first.received[1]).toEqual({ id: one.id, event: 'tick', data: '{"n":1}' });
    first.stream.close();
    await waitFor(() => expect(emitter.stats().clients, 'the stream to be forgotten').toBe(0));

    const two = await emitter.broadcast('tick', { n: 2 });
    const resumed = await request(session, { 'x-user': 'ada', 'last-event-id': one.id });
    await waitFor(() => expect(resumed.received, 'hello and the missed tick').toHaveLength(2));
    expect(resumed.received[1]).toEqual({ id: two.id, event: 'tick', data: '{"n":2}' });
    const byQuery = await request(session, { ':path': `/events?lastEventId=${one.id}` });
    await waitFor(() => expect(byQuery.received, 'the missed tick, by query').toHaveLength(2));
    expect(byQuery.received[1]?.id).toBe(two.id);
  });

  it('answers refusals on the stream: 401, 405, 400, and HEAD gets the headers only', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const session = (
      await serve(
        emitter,
        emitter.http2StreamHandler({ authorize: (req) => req.headers.authorization === 'Bearer ok' }),
      )
    )();
    const unauthorized = await request(session, {});
    await unauthorized.ended;
    expect(unauthorized.headers[':status']).toBe(401);
    expect(unauthorized.body()).not.toBe('');

    const post = await request(session, { ':method': 'POST', authorization: 'Bearer ok' });
    await post.ended;
    expect(post.headers[':status']).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');

    const badId = await request(session, { authorization: 'Bearer ok', 'last-event-id': 'not-an-id\u00e9' });
    await badId.ended;
    expect(badId.headers[':status']).toBe(400);

    const head = await request(session, { ':method': 'HEAD', authorization: 'Bearer ok' });
    await head.ended;
    expect(head.headers[':status']).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(head.body()).toBe('');
    expect(emitter.stats().clients).toBe(0);
  });

  it('gives the hooks the stream, its headers, method and path; a stream the client resets is reported', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const connected: Http2StreamRequest[] = [];
    const disconnected: DisconnectInfo<Http2StreamRequest>[] = [];
    const session = (
      await serve(
        emitter,
        emitter.http2StreamHandler({
          onConnect: ({ request }) => connected.push(request),
          onDisconnect: (info) => disconnected.push(info),
        }),
      )
    )();
    const opened = await request(session, { ':path': '/events?room=1', 'x-trace': 't1' });
    await waitFor(() => expect(connected, 'onConnect').toHaveLength(1));
    expect(connected[0]).toMatchObject({ method: 'GET', url: '/events?room=1' });
    expect(connected[0]?.headers['x-trace']).toBe('t1');
    expect(typeof connected[0]?.stream.respond).toBe('function');

    // RST_STREAM from the client: the server forgets the stream and says so once.
    opened.stream.close();
    await waitFor(() => expect(disconnected, 'onDisconnect').toHaveLength(1));
    expect(emitter.stats().clients).toBe(0);
    expect(disconnected[0]?.request).toBe(connected[0]);
  });

  it('survives streams the client resets with an error code, open or still being authorized, and a GOAWAY with one', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const disconnected: string[] = [];
    let authorized = 0;
    let releaseAuthorize: () => void = () => undefined;
    const authorizing = new Promise<void>((resolve) => {
      releaseAuthorize = resolve;
    });
    const connectTo = await serve(
      emitter,
      emitter.http2StreamHandler({
        authorize: async (req) => {
          authorized += 1;
          if (req.headers['x-slow'] === '1') await authorizing;
          return true;
        },
        onDisconnect: ({ reason }) => void disconnected.push(reason),
      }),
    );
    // Without an `error` listener on the server's stream, each of these would end the process.
    const session = connectTo();
    session.on('error', () => undefined);
    const open = await request(session, {});
    await waitFor(() => expect(open.received, 'sse:hello').toHaveLength(1));
    open.stream.on('error', () => undefined);
    open.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    await waitFor(() => expect(disconnected, 'the reset stream reported').toHaveLength(1));

    const pending = session.request({ ':path': '/events', 'x-slow': '1' }, { endStream: true });
    pending.on('error', () => undefined);
    await waitFor(() => expect(authorized, 'the request reached authorize').toBe(2));
    pending.close(constants.NGHTTP2_PROTOCOL_ERROR);
    await new Promise((resolve) => pending.on('close', resolve));
    releaseAuthorize();

    const other = connectTo();
    other.on('error', () => undefined);
    const live = await request(other, {});
    await waitFor(() => expect(live.received, 'sse:hello').toHaveLength(1));
    live.stream.on('error', () => undefined);
    other.goaway(constants.NGHTTP2_INTERNAL_ERROR);
    await waitFor(() => expect(emitter.stats().clients, 'every stream forgotten').toBe(0));

    // The server still serves.
    const after = await request(connectTo(), {});
    await waitFor(() => expect(after.received, 'sse:hello').toHaveLength(1));
  });

  it('drops a stream whose reader stopped reading once maxBufferedBytes is passed; the others go on', async () => {
    const maxBufferedBytes = 64 * 1024;
    const emitter = createEmitter({ events, heartbeatMs: 0, maxBufferedBytes });
    const connectTo = await serve(emitter);
    // One session each: HTTP/2 flow control has a window per session too, which a stalled stream
    // would fill for every stream beside it. The reader opens the windows Chrome does, 6 MiB a
    // stream and 15 MiB a session (the default, 64 KiB, would hold the server's bytes back as long
    // as the reader takes to say it read them);
    // the stalled one keeps the default, so the server soon holds what it cannot send.
    const readingSession = connectTo({ initialWindowSize: 6 * 1024 * 1024 });
    await new Promise((resolve) => readingSession.once('connect', resolve));
    readingSession.setLocalWindowSize(15 * 1024 * 1024);
    const reading = await request(readingSession, {});
    const stalled = await request(connectTo(), {});
    stalled.stream.pause();
    await waitFor(() => expect(emitter.stats().clients, 'both streams').toBe(2));

    const text = 'p'.repeat(4000);
    let published = 0;
    while (emitter.stats().slowDisconnects === 0 && published < 5_000) {
      published += 1;
      await emitter.broadcast('blob', { text });
      // Let the session move its frames between publishes, as a real server's I/O would.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(emitter.stats().slowDisconnects).toBe(1);
    expect(emitter.stats().clients).toBe(1);
    await waitFor(() =>
      expect(reading.received, 'every event on the reading stream').toHaveLength(published + 1),
    );
  });
});
