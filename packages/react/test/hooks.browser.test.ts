// @vitest-environment node
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createEmitter } from '@app/sse-server';
import { listen, type TestServer } from '@app/test-utils';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { events } from './support/catalog';

/** Debian's Chromium package; the suite never downloads a browser. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

const sse = createEmitter({ events, heartbeatMs: 0, retryMs: 50 });
let opened = 0;
const streams = sse.handler({
  onConnect: () => {
    opened += 1;
  },
});
let script = '';
function servePage(req: IncomingMessage, res: ServerResponse) {
  if (req.url === '/events') return streams(req, res);
  if (req.url === '/app.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    return;
  }
  res
    .writeHead(200, { 'content-type': 'text/html' })
    .end(
      '<!doctype html><title>hooks</title><div id="root"></div><script type="module" src="/app.js"></script>',
    );
}
let server: TestServer;
let browser: Browser;
let origin = '';

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser/page.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    // Workspace packages from their sources, as the other suites run them.
    conditions: ['@app/source'],
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  script = bundle.outputFiles[0]?.text ?? '';
  server = await listen(servePage);
  origin = server.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await sse.close();
  await server?.close();
});

it('renders live events through the hooks in Chromium, on one stream under StrictMode', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(origin, { waitUntil: 'domcontentloaded' });
  await page.locator('#state', { hasText: 'open' }).waitFor();

  await sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
  await sse.broadcast('user:joined', { userId: 'u2', name: 'Grace' });
  await sse.broadcast('user:left', { userId: 'Ada' });
  const { id } = await sse.broadcast('notification', { message: 'Deployed', severity: 'info' });
  await page.locator('#latest', { hasText: `Deployed@${id}` }).waitFor();

  expect({
    roster: await page.locator('#roster').textContent(),
    opened,
    open: sse.stats().clients,
    errors,
  }).toEqual({ roster: 'Grace', opened: 1, open: 1, errors: [] });
  await page.close();
});
