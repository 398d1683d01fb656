import { request } from 'node:http';
import compression from 'compression';
import cors from 'cors';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createEmitter } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

describe('behind compression', () => {
  it('delivers every event at once with the compression middleware mounted', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const app = express();
    app.use(compression());
    app.get('/events', emitter.handler());
    app.get('/big', (_req, res) => void res.type('text').send('z'.repeat(10_000)));
    const url = await fixture.serve(emitter, app);

    // The middleware is really compressing this app's ordinary responses...
    const big = await fixture.open(new URL('/big', url).href, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(big.headers['content-encoding']).toBe('gzip');

    // ...and the stream still gets each event before the next is published (`no-transform` and a
    // flush after every write keep it from holding bytes).
    const raw = await fixture.open(url, {
      headers: { 'Accept-Encoding': 'gzip, deflate, br' },
    });
    expect(raw.status).toBe(200);
    await raw.waitForEvents(1, 2000);
    for (let n = 1; n <= 20; n++) {
      await emitter.broadcast('tick', { n });
      await raw.waitForEvents(n + 1, 2000);
      expect(JSON.parse(raw.events[n]?.data ?? '')).toEqual({ n });
    }
    expect(raw.headers['content-encoding']).toBeUndefined();
  });
});

describe('behind cors', () => {
  const allowed = 'https://app.example.com';

  async function start() {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const app = express();
    app.use(
      cors({
        origin: [allowed, 'https://admin.example.com'],
        credentials: true,
        allowedHeaders: ['Last-Event-ID', 'Authorization', 'Accept', 'Cache-Control'],
        maxAge: 600,
      }),
    );
    app.get(
      '/events',
      emitter.handler({
        authorize: (req) => {
          const session = /session=([a-z]+)/.exec(req.headers.cookie ?? '')?.[1];
          return session === undefined ? false : { userId: session };
        },
      }),
    );
    return { emitter, url: await fixture.serve(emitter, app) };
  }

  function preflight(url: string, origin: string) {
    return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'authorization,last-event-id',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('answers the preflight that Last-Event-ID and Authorization trigger, for allowed origins only', async () => {
    const { url } = await start();
    const ok = await preflight(url, allowed);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['last-event-id', 'authorization']),
    );
    const denied = await preflight(url, 'https://evil.example.com');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('streams to an allowed origin with credentials (cookies) and resumes with Last-Event-ID', async () => {
    const { emitter, url } = await start();
    const first = await fixture.open(url, { headers: { Origin: allowed, Cookie: 'session=ada' } });
    expect(first.status).toBe(200);
    expect(first.headers['access-control-allow-origin']).toBe(allowed);
    expect(first.headers['access-control-allow-credentials']).toBe('true');
    expect(first.headers.vary).toContain('Origin');
    await first.waitForEvents(1);
    await emitter.to('user:ada').send('tick', { n: 1 });
    await first.waitForEvents(2);
    first.destroy();
    await emitter.to('user:ada').send('tick', { n: 2 });

    const resumed = await fixture.open(url, {
      headers: { Origin: allowed, Cookie: 'session=ada', 'Last-Event-ID': first.lastEventId },
    });
    await resumed.waitForEvents(2);
    expect(JSON.parse(resumed.events[1]?.data ?? '')).toEqual({ n: 2 });

    const noCookie = await fixture.open(url, { headers: { Origin: allowed } });
    expect(noCookie.status).toBe(401);
    // The refusal carries the CORS headers too, so the browser lets the client read the status.
    expect(noCookie.headers['access-control-allow-origin']).toBe(allowed);
  });
});
