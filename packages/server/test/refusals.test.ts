import { request } from 'node:http';
import { openRaw, settle, waitFor } from '@app/test-utils';
import express from 'express';
import { describe, expect, it, vi } from 'vitest';
import { createEmitter, httpError, isSseServerError } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** A refused request: status, headers and the whole body. */
async function fetchRaw(url: string, headers: Record<string, string> = {}) {
  const raw = await fixture.open(url, { headers });
  await raw.waitForEnd();
  return raw;
}

describe('authorization', () => {
  it('answers 401 when authorize returns false, 403 from httpError(), and streams nothing', async () => {
    const onError = vi.fn();
    const emitter = createEmitter({ events, heartbeatMs: 0, onError });
    const app = express();
    app.get(
      '/events',
      emitter.handler({
        authorize: async (req: express.Request) => {
          await settle(1); // an authorize that awaits I/O (a session lookup)
          const token = req.get('authorization');
          if (token === undefined) return false;
          if (token === 'Bearer banned') throw httpError(403, 'account suspended', { 'X-Reason': 'banned' });
          if (token === 'Bearer teapot')
            throw Object.assign(new Error('short and stout'), { status: 418, expose: true });
          if (token === 'Bearer hidden')
            throw Object.assign(new Error('internal detail'), { statusCode: 429 });
          if (token === 'Bearer bug') throw new TypeError('authorize crashed');
          return { userId: token.slice('Bearer '.length) };
        },
      }),
    );
    const url = await fixture.serve(emitter, app);

    const anonymous = await fetchRaw(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(anonymous.text).toBe('Unauthorized');

    const banned = await fetchRaw(url, { Authorization: 'Bearer banned' });
    expect(banned.status).toBe(403);
    expect(banned.headers['x-reason']).toBe('banned');
    expect(banned.text).toBe('account suspended');

    const teapot = await fetchRaw(url, { Authorization: 'Bearer teapot' });
    expect([teapot.status, teapot.text]).toEqual([418, 'short and stout']);
    const hidden = await fetchRaw(url, { Authorization: 'Bearer hidden' });
    expect([hidden.status, hidden.text]).toEqual([429, 'Too Many Requests']);

    const bug = await fetchRaw(url, { Authorization: 'Bearer bug' });
    expect(bug.status).toBe(500);
    expect(bug.text).toBe('Internal Server Error');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'authorize crashed' }));
    expect(onError).toHaveBeenCalledTimes(1);

    for (const refused of [anonymous, banned, teapot, hidden, bug]) expect(refused.events).toEqual([]);
    const admitted = await fixture.open(url, { headers: { Authorization: 'Bearer ada' } });
    expect(admitted.status).toBe(200);
    await admitted.waitForEvents(1);
    expect((await emitter.to('user:ada').send('tick', { n: 1 })).delivered).toBe(1);
    expect(emitter.stats()).toMatchObject({ clients: 1 });
  });

  it('refuses with 500 and reports an authorize answer that is not { userId } or a boolean', async () => {
    const onError = vi.fn();
    const emitter = createEmitter({ events, onError });
    const url = await fixture.serve(emitter, emitter.handler({ authorize: () => ({ userId: '' }) }));
    const refused = await fetchRaw(url);
    expect(refused.status).toBe(500);
    expect(onError.mock.calls[0]?.[0]).toSatisfy(
      (error: unknown) => isSseServerError(error) && error.code === 'invalid-authorization',
    );
  });

  it('refuses with 500 and reports a channels() that returns one string instead of a list', async () => {
    const onError = vi.fn();
    const emitter = createEmitter({ events, onError });
    // A string is an iterable of strings: without a check, 'room:1' would join 'r', 'o', 'o', ...
    const url = await fixture.serve(emitter, emitter.handler({ channels: () => 'room:1' }));
    const refused = await fetchRaw(url);
    expect(refused.status).toBe(500);
    expect(onError.mock.calls[0]?.[0]).toSatisfy(
      (error: unknown) => isSseServerError(error) && error.code === 'invalid-channel',
    );
    expect(emitter.stats().channels).toBe(0);
  });

  it('refuses with the status a channels() function throws', async () => {
    const emitter = createEmitter({ events });
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        channels: (req) => {
          if (req.url?.includes('room=secret')) throw httpError(403);
          return ['room:open'];
        },
      }),
    );
    const refused = await fetchRaw(`${url}?room=secret`);
    expect([refused.status, refused.text]).toEqual([403, 'Forbidden']);
  });
});

describe('a refusal whose headers cannot be sent', () => {
  it("answers 500 Internal Server Error, not the refused status's reason phrase, and reports it", async () => {
    const onError = vi.fn();
    const emitter = createEmitter({ events, heartbeatMs: 0, onError });
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        authorize: () => {
          throw httpError(403, 'no', { 'X-Reason': 'line\nbreak' });
        },
      }),
    );
    const refused = await fetchRaw(url);
    expect([refused.status, refused.res.statusMessage, refused.text]).toEqual([
      500,
      'Internal Server Error',
      'Internal Server Error',
    ]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_INVALID_CHAR' }));
    // One request, one refusal: the 500 it got, not also the 403 that could not be written.
    expect(emitter.metrics().refused).toMatchObject({ forbidden: 0, error: 1 });
  });
});

describe('limits', () => {
  it('answers 503 with Retry-After over maxClients, and admits again once a client left', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, maxClients: 2, retryMs: 2500 });
    const url = await fixture.serve(emitter);
    const first = await openRaw(url);
    const second = await openRaw(url);
    fixture.raws.push(first, second);
    const third = await fetchRaw(url);
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('3');
    expect(third.text).toBe('too many open streams');
    first.destroy();
    await waitFor(() => expect(emitter.stats().clients, 'a slot to free').toBe(1));
    const fourth = await fixture.open(url);
    expect(fourth.status).toBe(200);
  });

  it('answers 503 over maxClientsPerUser for that user only', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, maxClientsPerUser: 1 });
    const url = await fixture.serve(
      emitter,
      emitter.handler({ authorize: (req) => ({ userId: String(req.headers['x-user']) }) }),
    );
    const ada = await fixture.open(url, { headers: { 'x-user': 'ada' } });
    await ada.waitForEvents(1);
    const adaAgain = await fetchRaw(url, { 'x-user': 'ada' });
    expect(adaAgain.status).toBe(503);
    expect(adaAgain.headers['retry-after']).toBe('3');
    const bob = await fixture.open(url, { headers: { 'x-user': 'bob' } });
    expect(bob.status).toBe(200);
  });

  it('applies the limit to streams opening at the same moment', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, maxClients: 3 });
    const url = await fixture.serve(
      emitter,
      emitter.handler({ authorize: () => new Promise((resolve) => setTimeout(() => resolve(true), 10)) }),
    );
    const streams = await Promise.all(Array.from({ length: 8 }, () => openRaw(url)));
    fixture.raws.push(...streams);
    expect(streams.filter((stream) => stream.status === 200)).toHaveLength(3);
    expect(streams.filter((stream) => stream.status === 503)).toHaveLength(5);
    expect(emitter.stats().clients).toBe(3);
  });

  it('applies the per-user limit to streams of one user opening at the same moment', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, maxClientsPerUser: 2 });
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        // Answers in a random order, as a session store would.
        authorize: (req) =>
          new Promise((resolve) =>
            setTimeout(() => resolve({ userId: String(req.headers['x-user']) }), Math.random() * 20),
          ),
      }),
    );
    const open = (user: string) => openRaw(url, { headers: { 'x-user': user } });
    const streams = await Promise.all([...Array.from({ length: 6 }, () => open('ada')), open('bob')]);
    fixture.raws.push(...streams);
    expect(streams.slice(0, 6).filter((stream) => stream.status === 200)).toHaveLength(2);
    expect(streams[6]?.status).toBe(200);
    expect(emitter.stats().clients).toBe(3);
  });
});

describe('Last-Event-ID', () => {
  it('answers 400 to a malformed or oversized ID, in the header or the query, before any stream byte', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const url = await fixture.serve(emitter);
    const longEpoch = `${'a'.repeat(250)}-1`;
    for (const bad of [
      '42',
      'abc',
      '-1',
      'a-b',
      'a-1-2',
      'a b-1',
      `a-${'9'.repeat(17)}`,
      longEpoch,
      'x'.repeat(300),
    ]) {
      const viaHeader = await fetchRaw(url, { 'Last-Event-ID': bad });
      expect(viaHeader.status, bad).toBe(400);
      expect(viaHeader.text).toContain('Last-Event-ID');
      const viaQuery = await fetchRaw(`${url}?lastEventId=${encodeURIComponent(bad)}`);
      expect(viaQuery.status, bad).toBe(400);
    }
    const nul = await fetchRaw(`${url}?lastEventId=a%00-1`);
    expect(nul.status).toBe(400);
    expect(emitter.stats().clients).toBe(0);
  });

  it('treats a well-formed ID of another epoch as a reset, not an error', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const url = await fixture.serve(emitter);
    const raw = await fixture.open(url, { headers: { 'Last-Event-ID': 'elsewhere-7' } });
    await raw.waitForEvents(2);
    expect(JSON.parse(raw.events[1]?.data ?? '')).toEqual({
      reason: 'epoch-changed',
      lastEventId: 'elsewhere-7',
    });
  });
});

describe('request handling', () => {
  it('ignores a request whose client left while authorize was deciding', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    let asked = false;
    let decided = false;
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        authorize: () => {
          asked = true;
          return new Promise((resolve) =>
            setTimeout(() => {
              decided = true;
              resolve(true);
            }, 50),
          );
        },
      }),
    );
    const req = request(url);
    req.on('error', () => {});
    req.end();
    await waitFor(() => expect(asked, 'authorize to be asked').toBe(true));
    req.destroy();
    await waitFor(() => expect(decided, 'authorize to answer').toBe(true));
    await settle();
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
  });
});

describe('methods', () => {
  const OTHER_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

  it('answers 405 with Allow: GET, HEAD to any other method on node:http, before authorize and any stream byte', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const authorize = vi.fn(() => true);
    const url = await fixture.serve(emitter, emitter.handler({ authorize }));
    for (const method of OTHER_METHODS) {
      const raw = await fixture.open(url, { method });
      await raw.waitForEnd();
      expect(raw.status, method).toBe(405);
      expect(raw.headers.allow).toBe('GET, HEAD');
      expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(raw.text).toBe('Method Not Allowed: an event stream is read with GET');
      expect(raw.events).toEqual([]);
    }
    // A request body is no reason to open a stream either, and the answer does not wait for it.
    const posted = await fetch(url, { method: 'POST', body: 'x'.repeat(64 * 1024) });
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    await posted.text();
    expect(authorize).not.toHaveBeenCalled();
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0, bytes: 0 });

    const head = await fixture.open(url, { method: 'HEAD' });
    await head.waitForEnd();
    expect(head.status).toBe(200);
    const get = await fixture.open(url);
    expect(get.status).toBe(200);
    await get.waitForEvents(1);
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it('answers 405 behind Express when the handler is mounted for every method', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const app = express();
    app.all('/events', emitter.handler());
    const url = await fixture.serve(emitter, app);
    const raw = await fixture.open(url, { method: 'PUT' });
    await raw.waitForEnd();
    expect([raw.status, raw.headers.allow]).toEqual([405, 'GET, HEAD']);
    const get = await fixture.open(url);
    expect(get.status).toBe(200);
  });
});
