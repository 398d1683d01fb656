import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { listen, settle, waitFor } from '@app/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client';
import type { SseClientError } from '../src/errors';
import type { ClientOptions } from '../src/options';
import { events, frame } from './support/catalog';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(options: Partial<ClientOptions<typeof events>> & Pick<ClientOptions<typeof events>, 'url'>) {
  const created = createClient({ events, backoff: { initialMs: 20, maxMs: 200 }, ...options });
  cleanups.push(() => created.close());
  const errors: SseClientError[] = [];
  const received: string[] = [];
  created.onError((error) => void errors.push(error));
  created.on('user:left', (data, meta) => void received.push(`${data.userId}@${meta.id}`));
  return { client: created, errors, received };
}

describe('the request, as a real server sees it', { timeout: 15_000 }, () => {
  it("carries the EventSource request's headers and no header that would need a CORS preflight", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = await listen((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(frame('user:left', { userId: 'a' }, `${seen.length}`));
    });
    cleanups.push(() => server.close());
    const { received } = client({ url: `${server.origin}/events` });
    await waitFor(() => expect(received.length, 'two connections').toBeGreaterThanOrEqual(2));
    const [first, second] = seen;
    expect(first).toMatchObject({
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
      pragma: 'no-cache',
    });
    expect(first!['last-event-id']).toBeUndefined();
    expect(second!['last-event-id']).toBe('1');
    // What fetch itself adds aside, only the safelisted Accept (and Last-Event-ID to resume) is set.
    const added = [
      'host',
      'connection',
      'user-agent',
      'accept-encoding',
      'accept-language',
      'sec-fetch-mode',
    ];
    expect(
      Object.keys(first!)
        .filter((name) => !added.includes(name))
        .sort(),
    ).toEqual(['accept', 'cache-control', 'pragma']);
  });
});

describe('redirects', { timeout: 15_000 }, () => {
  it.each([301, 302, 303, 307, 308])('follows a %i and reconnects to the original URL', async (status) => {
    const paths: string[] = [];
    const server = await listen((req, res) => {
      paths.push(`${req.url} ${req.headers['last-event-id'] ?? '-'}`);
      if (req.url === '/events') {
        res.writeHead(status, { location: '/moved' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(frame('user:left', { userId: 'a' }, `${paths.length}`));
    });
    cleanups.push(() => server.close());
    const { received, errors } = client({ url: `${server.origin}/events` });
    await waitFor(() => expect(received.length, 'two connections').toBeGreaterThanOrEqual(2));
    expect(paths.slice(0, 4)).toEqual(['/events -', '/moved -', '/events 2', '/moved 2']);
    expect(errors).toEqual([]);
  });
});

describe('servers that give nothing', { timeout: 15_000 }, () => {
  it('backs off from a server that answers 200 with an empty body at once, every time', async () => {
    const requestTimes: number[] = [];
    const server = await listen((_req, res) => {
      requestTimes.push(performance.now());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end();
    });
    cleanups.push(() => server.close());
    client({
      url: `${server.origin}/events`,
      backoff: { initialMs: 100, maxMs: 10_000 },
      random: () => 0.99,
    });
    // Delays of 99, 198 and 396 ms (timers never fire early); a loop would make hundreds of requests.
    await waitFor(() => expect(requestTimes, 'four requests').toHaveLength(4), { timeoutMs: 5000 });
    const gaps = requestTimes.slice(1).map((time, index) => time - requestTimes[index]!);
    for (const [index, gap] of gaps.entries())
      expect(gap, `gap ${index}`).toBeGreaterThanOrEqual(99 * 2 ** index - 2);
  });

  it('stops for good on 204, and never delivers an event the stream ended inside', async () => {
    let requests = 0;
    const server = await listen((_req, res) => {
      requests++;
      if (requests > 1) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${frame('user:left', { userId: 'a' }, '1')}id: 2\nevent: user:left\ndata: {"userId":"b"}\n`);
    });
    cleanups.push(() => server.close());
    const { client: sse, received, errors } = client({ url: `${server.origin}/events` });
    await waitFor(() => {
      expect(sse.state, 'the 204').toBe('closed');
      expect(requests, 'the 204').toBe(2);
    });
    // Stopped for good: no retry is scheduled, and nothing else arrives.
    expect(sse.getSnapshot().retryAt).toBeNull();
    await settle();
    expect(requests).toBe(2);
    expect(received).toEqual(['a@1']);
    expect(sse.lastEventId).toBe('1');
    expect(errors).toEqual([]);
  });
});

describe('a hostile server sending huge event IDs', { timeout: 30_000 }, () => {
  const MiB = 2 ** 20;
  const huge = (tag: string) => `${tag}${'x'.repeat(MiB)}`;
  const hugeEvent = (userId: string) =>
    `id: ${huge(userId)}\nevent: user:left\ndata: ${JSON.stringify({ userId })}\n\n`;

  /**
   * A server that records each request's Last-Event-ID, streams `serve(connection)` on the first
   * two connections (numbered from 1) and answers the third with 204, which ends the client.
   */
  async function twoStreamsThen204(serve: (connection: number, res: ServerResponse) => void) {
    const resumedFrom: (string | undefined)[] = [];
    const server = await listen((req, res) => {
      resumedFrom.push(req.headers['last-event-id'] as string | undefined);
      if (resumedFrom.length > 2) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      serve(resumedFrom.length, res);
    });
    cleanups.push(() => server.close());
    return { server, resumedFrom };
  }

  it('keeps none of them: not as the last event ID, not as Last-Event-ID, not to drop duplicates', async () => {
    const { server, resumedFrom } = await twoStreamsThen204((connection, res) => {
      if (connection === 1) {
        res.write(frame('user:left', { userId: 'a' }, 'ok-1'));
        for (const userId of ['h1', 'h2', 'h3']) res.write(hugeEvent(userId));
        // An id-only block, then an event without id: (it inherits the huge ID in the parser).
        res.write(`id: ${huge('bare')}\n\n`);
        res.end('event: user:left\ndata: {"userId":"n"}\n\n');
        return;
      }
      // The same events again, as a server replaying from ok-1 would: the client could not
      // remember their IDs, so they are delivered again rather than dropped.
      for (const userId of ['h1', 'h2', 'h3']) res.write(hugeEvent(userId));
      res.end(frame('user:left', { userId: 'b' }, 'ok-2'));
    });
    const ids: string[] = [];
    const { client: sse, received, errors } = client({ url: `${server.origin}/events`, random: () => 0 });
    sse.subscribe(() => void ids.push(sse.lastEventId));
    await waitFor(() => expect(sse.state, 'the 204 of the third connection').toBe('closed'));
    expect(received).toEqual([
      'a@ok-1',
      'h1@ok-1',
      'h2@ok-1',
      'h3@ok-1',
      'n@ok-1',
      'h1@ok-1',
      'h2@ok-1',
      'h3@ok-1',
      'b@ok-2',
    ]);
    expect(resumedFrom).toEqual([undefined, 'ok-1', 'ok-2']);
    // Once per connection, whatever the number of huge IDs on it.
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([
      ['oversized-id', false],
      ['oversized-id', false],
    ]);
    expect(errors[0]!.message).toMatch(/event ID of 1048578 characters, over maxEventIdLength \(256\)/);
    // What the client ever held as its last event ID stays within the limit.
    expect(Math.max(...ids.map((id) => id.length))).toBeLessThanOrEqual(256);
    expect(sse.lastEventId).toBe('ok-2');
  });

  it('ignores an ID with a control character, which could not be sent back, and keeps reconnecting', async () => {
    const { server, resumedFrom } = await twoStreamsThen204((connection, res) => {
      if (connection === 1) res.write(frame('user:left', { userId: 'a' }, 'ok-1'));
      res.write(frame('user:left', { userId: `c${connection}` }, 'ok-2\u0001'));
      res.end(frame('user:left', { userId: `d${connection}` }, '\u007f'));
    });
    const { client: sse, received, errors } = client({ url: `${server.origin}/events`, random: () => 0 });
    await waitFor(() => expect(sse.state, 'the 204 of the third connection').toBe('closed'));
    // Each connection reached the server and resumed from the last ID that can travel in a header
    // (Node's fetch fails every request whose Last-Event-ID holds a control character).
    expect(resumedFrom).toEqual([undefined, 'ok-1', 'ok-1']);
    expect(received).toEqual(['a@ok-1', 'c1@ok-1', 'd1@ok-1', 'c2@ok-1', 'd2@ok-1']);
    expect(errors.map((error) => [error.code, error.fatal])).toEqual([
      ['invalid-id', false],
      ['invalid-id', false],
    ]);
    expect(errors[0]!.message).toMatch(/control character/);
  });

  it('keeps IDs up to maxEventIdLength, raised for a server with long IDs', async () => {
    const long = 'L'.repeat(1000);
    const resumedFrom: (string | undefined)[] = [];
    const server = await listen((req, res) => {
      resumedFrom.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(resumedFrom.length === 1 ? frame('user:left', { userId: 'a' }, long) : '');
    });
    cleanups.push(() => server.close());
    const { client: sse, errors } = client({ url: `${server.origin}/events`, maxEventIdLength: 1000 });
    await waitFor(() => expect(resumedFrom.length, 'the reconnection').toBeGreaterThanOrEqual(2));
    expect(resumedFrom.slice(0, 2)).toEqual([undefined, long]);
    expect(sse.lastEventId).toBe(long);
    expect(errors).toEqual([]);
  });
});

describe('streams opened with POST', { timeout: 15_000 }, () => {
  it('sends the method and body on every attempt, with Last-Event-ID on the resume', async () => {
    const seen: { method: string | undefined; body: string; lastEventId: string | undefined }[] = [];
    const server = await listen((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          method: req.method,
          body,
          lastEventId: req.headers['last-event-id'] as string | undefined,
        });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // One event per connection, then the server ends the stream: the client resumes.
        res.end(frame('user:left', { userId: `u${seen.length}` }, `${seen.length}`));
      });
    });
    cleanups.push(() => server.close());
    let attempts = 0;
    const { received } = client({
      url: `${server.origin}/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: () => JSON.stringify({ query: 'status', attempt: ++attempts }),
    });
    await waitFor(() => expect(received.length, 'two connections').toBeGreaterThanOrEqual(2));
    expect(received.slice(0, 2)).toEqual(['u1@1', 'u2@2']);
    expect(seen.slice(0, 2)).toEqual([
      { method: 'POST', body: '{"query":"status","attempt":1}', lastEventId: undefined },
      { method: 'POST', body: '{"query":"status","attempt":2}', lastEventId: '1' },
    ]);
  });

  it('refuses a body without POST, and POST with the EventSource transport', () => {
    expect(() =>
      createClient({ url: 'http://127.0.0.1:1/events', events, body: 'x', autoConnect: false }),
    ).toThrow(/a body needs method: 'POST'/);
    expect(() =>
      createClient({
        url: 'http://127.0.0.1:1/events',
        events,
        method: 'POST',
        transport: 'eventsource',
        EventSource: class {} as unknown as typeof EventSource,
        autoConnect: false,
      }),
    ).toThrow(/an EventSource can only GET/);
  });
});
