import { createParserStream, HELLO_EVENT, type ParsedEvent } from '@app/sse-protocol';
import { describe, expect, it } from 'vitest';
import { createEmitter, type Emitter, type EmitterOptions, httpError, isSseServerError } from '../src/index';
import { events, type TestEvents } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** An emitter under test, heartbeats off, closed after the test. */
function start(options: Omit<EmitterOptions<TestEvents>, 'events'> = {}): Emitter<TestEvents> {
  const emitter = createEmitter({ events, heartbeatMs: 0, ...options });
  fixture.sse = emitter;
  return emitter;
}

/** A stream opened by a request the test may abort with `controller`. */
async function openAbortable(emitter: Emitter<TestEvents>) {
  const controller = new AbortController();
  const response = await emitter.fetchHandler(
    new Request('http://localhost/', { signal: controller.signal }),
  );
  return { controller, response };
}

/** Reads parsed events from a Response body. */
function eventsOf(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(createParserStream()).getReader();
  return {
    async next(): Promise<ParsedEvent> {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      return value;
    },
    cancel: () => reader.cancel(),
  };
}

describe('fetchHandler', () => {
  it('answers a Request with a streaming Response: headers, sse:hello, live events, resume', async () => {
    const emitter = start();
    const options = { authorize: (req: Request) => ({ userId: req.headers.get('x-user') ?? 'anonymous' }) };
    const response = await emitter.fetchHandler(
      new Request('http://localhost/events', { headers: { 'x-user': 'ada' } }),
      options,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    // Connection is a hop-by-hop header that HTTP/2 forbids; fetch runtimes manage it themselves.
    expect(response.headers.get('connection')).toBeNull();
    const stream = eventsOf(response);
    const hello = await stream.next();
    expect(hello.event).toBe(HELLO_EVENT);

    const sent = await emitter.to('user:ada').send('notification', { message: 'hi', severity: 'warning' });
    expect(sent.delivered).toBe(1);
    const event = await stream.next();
    expect(event).toEqual({
      id: sent.id,
      event: 'notification',
      data: '{"message":"hi","severity":"warning"}',
    });
    await stream.cancel();
    expect(emitter.stats().clients).toBe(0);

    await emitter.broadcast('tick', { n: 1 });
    const resumed = await emitter.fetchHandler(
      new Request(`http://localhost/events?lastEventId=${encodeURIComponent(sent.id)}`),
      options,
    );
    const again = eventsOf(resumed);
    expect(await again.next()).toMatchObject({ event: HELLO_EVENT, id: sent.id });
    expect(await again.next()).toMatchObject({ event: 'tick', data: '{"n":1}' });
    await again.cancel();
  });

  it('refuses with ordinary Responses: 400, 401, 403, 503', async () => {
    const emitter = start({ maxClients: 1 });
    const authorize = (req: Request) => {
      const token = req.headers.get('authorization');
      if (token === null) return false;
      if (token === 'blocked') throw httpError(403, 'blocked');
      return true;
    };
    const malformed = await emitter.fetchHandler(
      new Request('http://localhost/', { headers: { 'Last-Event-ID': 'nope' } }),
      { authorize },
    );
    expect(malformed.status).toBe(400);
    const anonymous = await emitter.fetchHandler(new Request('http://localhost/'), { authorize });
    expect([anonymous.status, await anonymous.text()]).toEqual([401, 'Unauthorized']);
    const blocked = await emitter.fetchHandler(
      new Request('http://localhost/', { headers: { authorization: 'blocked' } }),
      {
        authorize,
      },
    );
    expect([blocked.status, await blocked.text()]).toEqual([403, 'blocked']);
    const admitted = await emitter.fetchHandler(
      new Request('http://localhost/', { headers: { authorization: 'ok' } }),
      {
        authorize,
      },
    );
    expect(admitted.status).toBe(200);
    const over = await emitter.fetchHandler(
      new Request('http://localhost/', { headers: { authorization: 'ok' } }),
      {
        authorize,
      },
    );
    expect(over.status).toBe(503);
    expect(over.headers.get('retry-after')).toBe('3');
    await admitted.body?.cancel();
  });

  it('errors the body of a reader that never reads once it holds more than maxBufferedBytes', async () => {
    const emitter = start({ maxBufferedBytes: 128 * 1024 });
    const idle = await emitter.fetchHandler(new Request('http://localhost/'));
    const reading = eventsOf(await emitter.fetchHandler(new Request('http://localhost/')));
    await reading.next();
    const text = 'q'.repeat(4000);
    let published = 0;
    while (emitter.stats().slowDisconnects === 0 && published < 1000) {
      published += 1;
      await emitter.broadcast('blob', { text });
      await reading.next();
      expect(emitter.stats().bufferedBytes).toBeLessThanOrEqual(128 * 1024 + 4100);
    }
    expect(published).toBeGreaterThan(10);
    expect(emitter.stats()).toMatchObject({ slowDisconnects: 1, clients: 1 });
    const reader = (idle.body as ReadableStream<Uint8Array>).getReader();
    await expect(reader.read()).rejects.toSatisfy(
      (error: unknown) => isSseServerError(error) && error.code === 'slow-consumer',
    );
    await reading.cancel();
  });

  it('joins the events queued while the body was full into one chunk when the reader catches up', async () => {
    const emitter = start();
    const response = await emitter.fetchHandler(new Request('http://localhost/'));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let opening = '';
    while (!opening.includes('event: sse:hello')) opening += decoder.decode((await reader.read()).value);
    // 20 events of 8 KB while nobody reads: past the body's 64 KiB, they wait in the connection's queue.
    for (let n = 1; n <= 20; n++) await emitter.broadcast('blob', { text: `${n}:${'j'.repeat(8000)}` });
    expect(emitter.stats().bufferedBytes).toBeGreaterThan(64 * 1024);
    const chunks: string[] = [];
    let text = '';
    while ((text.match(/event: blob/g) ?? []).length < 20) {
      const chunk = decoder.decode((await reader.read()).value);
      chunks.push(chunk);
      text += chunk;
    }
    const perChunk = chunks.map((chunk) => (chunk.match(/event: blob/g) ?? []).length);
    // The first writes went out one by one; the queue went out as a single chunk on the drain.
    expect(Math.max(...perChunk)).toBeGreaterThan(5);
    expect(chunks.length).toBeLessThan(20);
    const numbers = [...text.matchAll(/data: \{"text":"(\d+):/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(emitter.stats().bufferedBytes).toBe(0);
    await reader.cancel();
  });

  it('forgets a stream whose request is aborted', async () => {
    const emitter = start();
    const { controller, response } = await openAbortable(emitter);
    expect(emitter.stats().clients).toBe(1);
    controller.abort();
    expect(emitter.stats().clients).toBe(0);
    const aborted = await emitter.fetchHandler(
      new Request('http://localhost/', { signal: controller.signal }),
    );
    expect(aborted.status).toBe(499);
    expect(emitter.stats().clients).toBe(0);
    await response.body?.cancel();
  });

  it('ends the body of an aborted request, so a runtime still reading it is not left waiting', async () => {
    const emitter = start();
    const { controller, response } = await openAbortable(emitter);
    const stream = eventsOf(response);
    expect((await stream.next()).event).toBe(HELLO_EVENT);
    controller.abort();
    const next = await Promise.race([
      stream.next().then(
        () => 'another event',
        () => 'ended',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 1000)),
    ]);
    expect(next).toBe('ended');
    expect(emitter.stats().clients).toBe(0);
  });

  it('answers 405 with Allow: GET, HEAD to any other method, before authorize', async () => {
    const emitter = start();
    let asked = 0;
    const authorize = () => {
      asked += 1;
      return true;
    };
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const body = method === 'POST' || method === 'PUT' ? '{"n":1}' : null;
      const response = await emitter.fetchHandler(new Request('http://localhost/events', { method, body }), {
        authorize,
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(await response.text()).toBe('Method Not Allowed: an event stream is read with GET');
    }
    expect(asked).toBe(0);
    expect(emitter.stats()).toMatchObject({ clients: 0, bytes: 0 });
  });

  it('answers HEAD with the stream headers and no body, holding no stream', async () => {
    const emitter = start();
    const response = await emitter.fetchHandler(new Request('http://localhost/', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.body).toBeNull();
    expect(emitter.stats().clients).toBe(0);
  });
});
