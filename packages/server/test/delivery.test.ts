import { connect } from 'node:net';
import { EventValidationError, HELLO_EVENT, helloSchema, isEventValidationError } from '@app/sse-protocol';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { openRaw, type RawStream, waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { createEmitter, type Emitter } from '../src/index';
import { events, type TestEvents } from './support/catalog';
import { recordEventSource } from './support/event-source';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

async function start(
  authorize?: (userId: string | undefined) => { userId: string } | boolean,
): Promise<{ emitter: Emitter<TestEvents>; url: string }> {
  const emitter = createEmitter({ events, heartbeatMs: 0 });
  const url = await fixture.serve(
    emitter,
    emitter.handler({
      authorize: (req) => {
        const user = req.headers['x-user'];
        return authorize
          ? authorize(typeof user === 'string' ? user : undefined)
          : typeof user === 'string'
            ? { userId: user }
            : true;
      },
      channels: (req) => (req.url?.includes('room=42') ? ['room:42'] : []),
    }),
  );
  return { emitter, url };
}

describe('typed delivery', () => {
  it('sends the stream headers, the first bytes and sse:hello, then catalog events to an EventSource', async () => {
    const { emitter, url } = await start();
    const raw = await fixture.open(url);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(raw.headers['cache-control']).toBe('no-cache, no-transform');
    expect(raw.headers['x-accel-buffering']).toBe('no');
    // This client (no agent) sends `Connection: close`; keep-alive is tested in 'stream headers'.
    expect(raw.headers.connection).toBe('close');
    const [hello] = await raw.waitForEvents(1);
    expect(raw.text.startsWith(': ok\nretry: 3000\n\n')).toBe(true);
    expect(raw.retries).toEqual([3000]);
    expect(hello?.event).toBe(HELLO_EVENT);
    const helloData = helloSchema.parse(JSON.parse(hello?.data ?? ''));
    expect(helloData).toEqual({
      clientId: expect.any(String),
      fingerprint: catalogFingerprint(events),
      heartbeatMs: 0,
    });
    expect(hello?.id).toMatch(/^[0-9a-z]+-0$/);

    const source = recordEventSource(url, ['user:joined', 'notification', HELLO_EVENT]);
    fixture.sources.push(source);
    await source.waitFor(HELLO_EVENT, 1);
    const joined = await emitter.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
    // The default of the schema is applied: clients get the parsed (output) data.
    const noted = await emitter.broadcast('notification', { message: 'Shipped' });
    expect(joined).toEqual({ id: expect.stringMatching(/-1$/), delivered: 2 });
    expect(noted.id).toMatch(/-2$/);
    const [first] = await source.waitFor('user:joined', 1);
    const [second] = await source.waitFor('notification', 1);
    expect(JSON.parse(first?.data ?? '')).toEqual({ userId: 'u1', name: 'Ada' });
    expect(first?.lastEventId).toBe(joined.id);
    expect(JSON.parse(second?.data ?? '')).toEqual({ message: 'Shipped', severity: 'info' });
    expect(second?.lastEventId).toBe(noted.id);
    await raw.waitForEvents(3);
    expect(raw.text).toContain(
      `id: ${joined.id}\nevent: user:joined\ndata: {"userId":"u1","name":"Ada"}\n\n`,
    );
  });

  it('rejects an invalid payload or unknown name at the call site, and nothing reaches a client or the store', async () => {
    const { emitter, url } = await start();
    const raw = await fixture.open(url);
    await raw.waitForEvents(1);
    const bad = emitter.broadcast('user:joined', { userId: 1 } as never);
    await expect(bad).rejects.toBeInstanceOf(EventValidationError);
    await expect(bad).rejects.toThrow('data.userId');
    const unknown = emitter.to('room:1').send('nope' as never, {} as never);
    await expect(unknown).rejects.toSatisfy(isEventValidationError);
    const ok = await emitter.broadcast('tick', { n: 1 });
    expect(ok.id).toMatch(/-1$/);
    await raw.waitForEvents(2);
    expect(raw.catalogEvents().map((event) => event.event)).toEqual(['tick']);
    expect(emitter.stats().published).toBe(1);
  });

  it('serialises and encodes each event once, whatever the number of receivers, replays included', async () => {
    const { emitter, url } = await start();
    const clients = await Promise.all(Array.from({ length: 30 }, () => openRaw(url)));
    fixture.raws.push(...clients);
    await Promise.all(clients.map((client) => client.waitForEvents(1)));
    let serialised = 0;
    // zod returns a new object for z.object; z.unknown() keeps the nested value, whose toJSON counts.
    const body = { toJSON: () => `counted-${++serialised}` };
    const result = await emitter.broadcast('report', { body });
    expect(result.delivered).toBe(30);
    await Promise.all(clients.map((client) => client.waitForEvents(2)));
    for (const client of clients) expect(client.events[1]?.data).toBe('{"body":"counted-1"}');
    // A resume replays the stored bytes: no new serialisation.
    const resumed = await fixture.open(url, {
      headers: { 'Last-Event-ID': clients[0]?.events[0]?.id ?? '' },
    });
    const replayed = await resumed.waitForEvents(2);
    expect(replayed[1]?.data).toBe('{"body":"counted-1"}');
    expect(serialised).toBe(1);
  });
});

/** Sends `head` on a raw socket and returns what the server answered before `until` appeared. */
function rawExchange(url: string, head: string, until: (received: string) => boolean): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer; got ${JSON.stringify(received)}`));
    }, 5000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (until(received)) finish();
    });
    socket.on('end', finish);
    socket.write(head);
  });
}

const headerLines = (answer: string) =>
  answer
    .slice(0, answer.indexOf('\r\n\r\n'))
    .split('\r\n')
    .map((line) => line.toLowerCase());

describe('stream headers', () => {
  it('sends Connection: keep-alive on HTTP/1.1 only: not to HTTP/1.0, nor against Connection: close', async () => {
    const { url } = await start();
    const hello = (answer: string) => answer.includes('event: sse:hello');
    const http11 = headerLines(await rawExchange(url, 'GET /events HTTP/1.1\r\nHost: x\r\n\r\n', hello));
    expect(http11).toContain('connection: keep-alive');
    expect(http11).toContain('transfer-encoding: chunked');

    const http10 = await rawExchange(url, 'GET /events HTTP/1.0\r\n\r\n', hello);
    expect(http10.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(headerLines(http10)).not.toContain('connection: keep-alive');
    // HTTP/1.0 has no chunked encoding: the body runs until the connection closes.
    expect(http10).toContain('\r\n\r\n: ok\nretry: 3000\n\n');

    const closing = headerLines(
      await rawExchange(url, 'GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', hello),
    );
    expect(closing).not.toContain('connection: keep-alive');
    expect(closing).toContain('connection: close');
  });

  it('serves a request line that claims HTTP/2.0 on an HTTP/1 connection as HTTP/1.x, not HTTP/2', async () => {
    const { emitter, url } = await start();
    const hello = (answer: string) => answer.includes('event: sse:hello');
    // Node's HTTP/1 parser takes the version, and answers it as it does HTTP/1.0: the stream
    // keeps the HTTP/1.x headers (X-Accel-Buffering for nginx) and runs until the connection ends.
    const answer = await rawExchange(url, 'GET /events HTTP/2.0\r\nHost: x\r\n\r\n', hello);
    const lines = headerLines(answer);
    expect(lines[0]).toBe('http/1.1 200 ok');
    expect(lines).toContain('x-accel-buffering: no');
    expect(lines).not.toContain('connection: keep-alive');
    expect(answer).toContain('\r\n\r\n: ok\nretry: 3000\n\n');
    expect(emitter.metrics().opened).toEqual({ node: 1, http2: 0, fetch: 0 });
  });

  it('answers HEAD with the stream headers and no body, holding no connection', async () => {
    const { emitter, url } = await start();
    const answer = await rawExchange(url, 'HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n', (received) =>
      received.includes('\r\n\r\n'),
    );
    const lines = headerLines(answer);
    expect(lines[0]).toBe('http/1.1 200 ok');
    expect(lines).toContain('content-type: text/event-stream; charset=utf-8');
    expect(lines).toContain('cache-control: no-cache, no-transform');
    // The answer is complete: the same connection serves the next request at once.
    const next = await rawExchange(
      url,
      'HEAD /events HTTP/1.1\r\nHost: x\r\n\r\nGET /events HTTP/1.1\r\nHost: x\r\n\r\n',
      (received) => received.includes('event: sse:hello'),
    );
    expect(next.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    await waitFor(() => expect(emitter.stats().clients, 'no stream to be held').toBe(0));
    expect(emitter.stats().bytes).toBeGreaterThan(0);
  });

  it('refuses HEAD like GET: 401 from authorize', async () => {
    const { url } = await start(() => false);
    const answer = await rawExchange(url, 'HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n', (received) =>
      received.includes('\r\n\r\n'),
    );
    expect(headerLines(answer)[0]).toBe('http/1.1 401 unauthorized');
  });
});

describe('channels', () => {
  it('sends user and client channel events only to their connections', async () => {
    const { emitter, url } = await start();
    const ada = recordEventSource(url, ['notification', HELLO_EVENT], { 'x-user': 'ada' });
    const bob = recordEventSource(url, ['notification', HELLO_EVENT], { 'x-user': 'bob' });
    fixture.sources.push(ada, bob);
    const [adaHello] = await ada.waitFor(HELLO_EVENT, 1);
    await bob.waitFor(HELLO_EVENT, 1);
    const adaClient = JSON.parse(adaHello?.data ?? '').clientId as string;

    expect((await emitter.to('user:ada').send('notification', { message: 'for ada' })).delivered).toBe(1);
    expect((await emitter.to('user:bob').send('notification', { message: 'for bob' })).delivered).toBe(1);
    expect(
      (await emitter.to(`client:${adaClient}`).send('notification', { message: 'ada conn' })).delivered,
    ).toBe(1);
    expect((await emitter.to('user:nobody').send('notification', { message: 'lost' })).delivered).toBe(0);
    await emitter.broadcast('notification', { message: 'all' });
    await ada.waitFor('notification', 3);
    await bob.waitFor('notification', 2);
    expect(ada.dataOf('notification')).toEqual([
      { message: 'for ada', severity: 'info' },
      { message: 'ada conn', severity: 'info' },
      { message: 'all', severity: 'info' },
    ]);
    expect(bob.dataOf('notification')).toEqual([
      { message: 'for bob', severity: 'info' },
      { message: 'all', severity: 'info' },
    ]);
  });

  it('joins the channels of channels(), and subscribe/unsubscribe change a live connection', async () => {
    const { emitter, url } = await start();
    const inRoom = await openRaw(`${url}?room=42`);
    const other = await openRaw(url);
    fixture.raws.push(inRoom, other);
    const [hello] = await other.waitForEvents(1);
    await inRoom.waitForEvents(1);
    const otherId = JSON.parse(hello?.data ?? '').clientId as string;

    expect((await emitter.to('room:42').send('tick', { n: 1 })).delivered).toBe(1);
    expect(emitter.subscribe(otherId, 'room:42')).toBe(true);
    expect(emitter.subscribe(otherId, 'room:42')).toBe(false);
    expect(emitter.subscribe('no-such-client', 'room:42')).toBe(false);
    expect((await emitter.to('room:42').send('tick', { n: 2 })).delivered).toBe(2);
    // In two targeted channels at once: still one delivery.
    expect((await emitter.to('room:42', `client:${otherId}`).send('tick', { n: 3 })).delivered).toBe(2);
    expect(emitter.unsubscribe(otherId, 'room:42')).toBe(true);
    expect(emitter.unsubscribe(otherId, 'room:42')).toBe(false);
    expect((await emitter.to('room:42').send('tick', { n: 4 })).delivered).toBe(1);

    await inRoom.waitForEvents(5);
    await other.waitForEvents(3);
    const ticks = (stream: RawStream) =>
      stream.catalogEvents().map((event) => JSON.parse(event.data).n as number);
    expect(ticks(inRoom)).toEqual([1, 2, 3, 4]);
    expect(ticks(other)).toEqual([2, 3]);
    expect(() => emitter.to('')).toThrow('@app/sse-server: channel names must be non-empty strings');
  });

  it('counts clients and channels and forgets a connection as soon as it closes', async () => {
    const { emitter, url } = await start();
    const raw = await openRaw(`${url}?room=42`, { headers: { 'x-user': 'ada' } });
    await raw.waitForEvents(1);
    expect(emitter.stats()).toMatchObject({ clients: 1, channels: 3 });
    raw.destroy();
    await waitFor(() => expect(emitter.stats().clients, 'the connection to be forgotten').toBe(0));
    expect(emitter.stats().channels).toBe(0);
  });
});
