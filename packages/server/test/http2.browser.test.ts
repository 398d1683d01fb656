// Chromium's own EventSource against the stream handler over HTTP/2 (TLS, as browsers speak it):
// the wire, the protocol actually negotiated, and a resume after the server drops the stream.
import { createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter, type Emitter, type Http2StreamRequest } from '../src/index';
import { events, type TestEvents } from './support/catalog';

/** Debian's Chromium package; the suite never downloads a browser. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

// The page records what its EventSource hears: every tick (data and lastEventId) and each open.
const PAGE = `<!doctype html><meta charset="utf-8"><script>
  window.ticks = []; window.opens = 0;
  const source = new EventSource('/events');
  source.onopen = () => { window.opens += 1; };
  source.addEventListener('tick', (e) => window.ticks.push({ data: e.data, id: e.lastEventId }));
</script>`;

let browser: Browser;
let server: Http2SecureServer;
let emitter: Emitter<TestEvents>;
const streams: Http2StreamRequest<ServerHttp2Stream>[] = [];

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  // A short retry: the resume below waits for the browser's own reconnection.
  emitter = createEmitter({ events, heartbeatMs: 0, retryMs: 200 });
  const handle = emitter.http2StreamHandler<ServerHttp2Stream>({
    onConnect: ({ request }) => streams.push(request),
  });
  server = createSecureServer({ key: pems.private, cert: pems.cert });
  server.on('stream', (stream, headers) => {
    if (headers[':path'] === '/events') handle(stream, headers);
    else {
      stream.respond({ ':status': 200, 'content-type': 'text/html; charset=utf-8' });
      stream.end(PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await emitter?.close({ drainMs: 0 });
  await new Promise((resolve) => server?.close(resolve));
});

async function ticksOf(page: Page): Promise<{ data: string; id: string }[]> {
  return page.evaluate(() => (window as unknown as { ticks: { data: string; id: string }[] }).ticks);
}

describe('Chromium EventSource over HTTP/2 with http2StreamHandler()', () => {
  it('receives typed events over h2, and resumes with Last-Event-ID after the stream is dropped', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      const address = server.address() as AddressInfo;
      await page.goto(`https://127.0.0.1:${address.port}/`);
      await page.waitForFunction(() => (window as unknown as { opens: number }).opens === 1);
      await expect.poll(() => streams.length, { timeout: 10_000 }).toBe(1);
      const protocol = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((entry) => (entry as PerformanceResourceTiming).nextHopProtocol)
          .join(','),
      );
      expect(protocol).toBe('h2');

      const first = await emitter.broadcast('tick', { n: 1 });
      await expect
        .poll(() => ticksOf(page), { timeout: 10_000 })
        .toEqual([{ data: '{"n":1}', id: first.id }]);

      // The server drops the stream (RST_STREAM), then publishes while the browser is away.
      streams[0]?.stream.close();
      await expect.poll(() => emitter.stats().clients, { timeout: 10_000 }).toBe(0);
      const missed = await emitter.broadcast('tick', { n: 2 });
      await page.waitForFunction(() => (window as unknown as { opens: number }).opens === 2, undefined, {
        timeout: 10_000,
      });
      await expect
        .poll(() => ticksOf(page), { timeout: 10_000 })
        .toEqual([
          { data: '{"n":1}', id: first.id },
          { data: '{"n":2}', id: missed.id },
        ]);
      expect(streams).toHaveLength(2);
      expect(streams[1]?.headers['last-event-id']).toBe(first.id);
    } finally {
      await context.close();
    }
  }, 60_000);
});
