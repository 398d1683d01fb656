// Cross-tab sharing in Debian's Chromium: several pages of one browser against a real server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmitter } from '@app/sse-server';
import { listen, type TestServer, waitFor } from '@app/test-utils';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ShareTest } from './browser/share-page';
import { events } from './support/catalog';

/** Debian's Chromium package; the suite never downloads a browser. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Page loads and handovers in a browser on a busy 2-core machine: generous, never a timing claim. */
const WAIT = { timeoutMs: 15_000, intervalMs: 20 };

const sse = createEmitter({ events, heartbeatMs: 0, retryMs: 50, replay: { maxEvents: 1000 } });
const streams = sse.handler({
  authorize: (req) => ({
    userId: new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ?? 'ada',
  }),
});
/** The page's bundle, split as an app's bundler splits it: the sharing code is a chunk of its own. */
const assets = new Map<string, string>();
const assetRequests: string[] = [];

function serve(req: IncomingMessage, res: ServerResponse) {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname === '/events') return streams(req, res);
  const asset = assets.get(pathname);
  if (asset !== undefined) {
    assetRequests.push(pathname);
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(asset);
    return;
  }
  res
    .writeHead(200, { 'content-type': 'text/html' })
    .end('<!doctype html><title>share</title><script type="module" src="/share-page.js"></script>');
}

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const outdir = fileURLToPath(new URL('./browser/out', import.meta.url));
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser/share-page.ts', import.meta.url))],
    bundle: true,
    splitting: true,
    outdir,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@app/source'],
    logLevel: 'silent',
  });
  for (const file of bundle.outputFiles) assets.set(`/${path.relative(outdir, file.path)}`, file.text);
  server = await listen(serve);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await waitFor(() => expect(sse.stats().clients, 'every stream closed').toBe(0), WAIT);
});

afterAll(async () => {
  await browser?.close();
  await sse.close();
  await server?.close();
});

interface TabView {
  received: string[];
  role: string | null;
  state: string;
  errors: string[];
  resets: string[];
}

async function newContext(options: { withoutWebLocks?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  // A browser without the Web Locks API (the fallback election: heartbeats over BroadcastChannel).
  if (options.withoutWebLocks === true) {
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }),
    );
  }
  return context;
}

async function openTab(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${server.origin}/${query}`);
  await page.waitForFunction(() => (globalThis as { shareTest?: ShareTest }).shareTest?.state() === 'open');
  return page;
}

/** `count` tabs of Ada in a new browser context, each with its stream open. */
async function adaTabs(count: number, options: { withoutWebLocks?: boolean } = {}): Promise<Page[]> {
  const context = await newContext(options);
  const pages: Page[] = [];
  for (let tab = 0; tab < count; tab++) pages.push(await openTab(context, '?user=ada'));
  return pages;
}

function view(page: Page): Promise<TabView> {
  return page.evaluate(() => {
    const test = (globalThis as unknown as { shareTest: ShareTest }).shareTest;
    return {
      received: [...test.received],
      role: test.role(),
      state: test.state(),
      errors: [...test.errors],
      resets: [...test.resets],
    };
  });
}

function closeClient(page: Page): Promise<void> {
  return page.evaluate(() => (globalThis as unknown as { shareTest: ShareTest }).shareTest.client.close());
}

async function views(pages: Page[]): Promise<TabView[]> {
  return Promise.all(pages.map(view));
}

/** Sends `count` notifications to `user`; returns `id:message` for each, in order. */
async function send(user: string, first: number, count: number): Promise<string[]> {
  const sent: string[] = [];
  for (let index = first; index < first + count; index++) {
    const { id } = await sse
      .to(`user:${user}`)
      .send('notification', { message: `m${index}`, severity: 'info' });
    sent.push(`${id}:m${index}`);
  }
  return sent;
}

async function leaderOf(pages: Page[]): Promise<Page> {
  const roles = (await views(pages)).map((tab) => tab.role);
  expect(
    roles.filter((role) => role === 'leader'),
    'one leader',
  ).toHaveLength(1);
  return pages[roles.indexOf('leader')] as Page;
}

it('eight tabs open one stream, and each gets every event, typed, in order', async () => {
  const pages = await adaTabs(8);
  expect(sse.stats().clients, 'streams on the server').toBe(1);
  await leaderOf(pages);
  // The sharing code came as a chunk of its own, loaded once per page.
  expect(assetRequests.filter((asset) => asset.startsWith('/shared-loop'))).toHaveLength(8);

  const sent = await send('ada', 0, 20);
  await waitFor(async () => {
    for (const tab of await views(pages)) expect(tab.received).toEqual(sent);
  }, WAIT);
  expect((await views(pages)).flatMap((tab) => tab.errors)).toEqual([]);
  expect(sse.stats().clients).toBe(1);
});

it('closing the leading page mid-burst loses and doubles nothing in the other tabs', async () => {
  const pages = await adaTabs(4);
  const leader = await leaderOf(pages);
  const survivors = pages.filter((page) => page !== leader);

  const sent = await send('ada', 0, 20);
  // The page goes away without its unload handlers, as a killed tab does, while events keep coming.
  const closing = leader.close({ runBeforeUnload: false });
  sent.push(...(await send('ada', 20, 20)));
  await closing;
  sent.push(...(await send('ada', 40, 20)));

  await waitFor(async () => {
    for (const tab of await views(survivors)) expect(tab.received).toEqual(sent);
  }, WAIT);
  await leaderOf(survivors);
  await waitFor(() => expect(sse.stats().clients, 'one stream again').toBe(1), WAIT);
  for (const tab of await views(survivors)) {
    expect(tab.state).toBe('open');
    expect(tab.resets).toEqual([]);
  }
});

it("a leader's close() hands over; a follower's close() leaves the others running", async () => {
  const pages = await adaTabs(3);
  const leader = await leaderOf(pages);
  const [follower, other] = pages.filter((page) => page !== leader) as [Page, Page];

  await closeClient(follower);
  const first = await send('ada', 0, 5);
  await waitFor(async () => expect((await view(other)).received).toEqual(first), WAIT);
  expect(sse.stats().clients, 'the stream stayed').toBe(1);

  await closeClient(leader);
  await waitFor(async () => expect((await view(other)).role).toBe('leader'), WAIT);
  const second = await send('ada', 5, 5);
  await waitFor(async () => expect((await view(other)).received).toEqual([...first, ...second]), WAIT);
  const closed = await views([follower, leader]);
  expect(closed.map((tab) => [tab.state, tab.role, tab.received])).toEqual([
    ['closed', null, []],
    ['closed', null, first],
  ]);
  expect(sse.stats().clients).toBe(1);
});

it('a leading page that is frozen hands the stream over, and catches up when it runs again', async () => {
  const pages = await adaTabs(3);
  const leader = await leaderOf(pages);
  const others = pages.filter((page) => page !== leader);
  const first = await send('ada', 0, 3);
  await waitFor(async () => expect((await view(leader)).received).toEqual(first), WAIT);

  // The Page Lifecycle API's `freeze`, which a browser fires before it stops a background tab's
  // code (headless Chromium does not freeze a page it shows, so the test fires the event itself;
  // the page then keeps running, and must stay quiet because it left the group).
  await leader.evaluate(() => document.dispatchEvent(new Event('freeze')));
  await waitFor(
    async () => expect((await views(others)).map((tab) => tab.role).sort()).toEqual(['follower', 'leader']),
    WAIT,
  );
  const second = await send('ada', 3, 3);
  await waitFor(async () => {
    for (const tab of await views(others)) expect(tab.received).toEqual([...first, ...second]);
  }, WAIT);

  expect((await view(leader)).received, 'nothing reaches the page while it is frozen').toEqual(first);
  await leader.evaluate(() => document.dispatchEvent(new Event('resume')));
  await waitFor(async () => expect((await view(leader)).received).toEqual([...first, ...second]), WAIT);
  expect((await view(leader)).role).toBe('follower');
  await waitFor(() => expect(sse.stats().clients).toBe(1), WAIT);
});

it('elects by heartbeats where there is no Web Locks API, and hands over when the leader goes', async () => {
  const pages = await adaTabs(3, { withoutWebLocks: true });
  expect(await pages[0]?.evaluate(() => 'locks' in navigator && navigator.locks !== undefined)).toBe(false);
  const leader = await leaderOf(pages);
  expect(sse.stats().clients).toBe(1);
  const survivors = pages.filter((page) => page !== leader);

  const sent = await send('ada', 0, 10);
  const closing = leader.close({ runBeforeUnload: false });
  sent.push(...(await send('ada', 10, 10)));
  await closing;
  await waitFor(async () => {
    for (const tab of await views(survivors)) expect(tab.received).toEqual(sent);
  }, WAIT);
  await waitFor(
    async () =>
      expect((await views(survivors)).map((tab) => tab.role).sort()).toEqual(['follower', 'leader']),
    WAIT,
  );
  await waitFor(() => expect(sse.stats().clients).toBe(1), WAIT);
});

it('two users never share a stream, in one browser context or in two', async () => {
  const one = await newContext();
  const two = await newContext();
  const ada = [await openTab(one, '?user=ada'), await openTab(two, '?user=ada')];
  const grace = [await openTab(one, '?user=grace'), await openTab(one, '?user=grace')];
  // Ada in two contexts (storage partitions apart, as two browser profiles): one stream each.
  expect(sse.stats().clients).toBe(3);

  const toAda = await send('ada', 0, 3);
  const toGrace = await send('grace', 3, 3);
  await waitFor(async () => {
    for (const tab of await views(ada)) expect(tab.received).toEqual(toAda);
    for (const tab of await views(grace)) expect(tab.received).toEqual(toGrace);
  }, WAIT);
});

it('a tab that joins from an earlier event ID gets what it missed from the shared stream', async () => {
  const context = await newContext();
  const first = await openTab(context, '?user=ada');
  const before = await send('ada', 0, 4);
  await waitFor(async () => expect((await view(first)).received).toEqual(before), WAIT);

  const from = (before[1] as string).split(':')[0] as string;
  const late = await openTab(context, `?user=ada&from=${encodeURIComponent(from)}`);
  const unknown = await openTab(context, '?user=ada&from=nowhere');
  const after = await send('ada', 4, 2);
  await waitFor(async () => {
    expect((await view(late)).received).toEqual([...before.slice(2), ...after]);
    expect((await view(unknown)).received).toEqual(after);
  }, WAIT);
  expect((await view(late)).role).toBe('follower');
  expect((await view(unknown)).resets, 'told plainly that it missed events').toEqual(['unknown-id']);
  expect(sse.stats().clients).toBe(1);
});

it('a tab that joined with no ID and connects again under a new leader gets what it missed, without a reset', async () => {
  const pages = await adaTabs(3);
  const leader = await leaderOf(pages);
  const [away, other] = pages.filter((page) => page !== leader) as [Page, Page];

  await closeClient(away);
  const sent = await send('ada', 0, 6);
  await waitFor(async () => expect((await view(other)).received).toEqual(sent), WAIT);
  await closeClient(leader);
  await waitFor(async () => expect((await view(other)).role).toBe('leader'), WAIT);
  await away.evaluate(() => (globalThis as unknown as { shareTest: ShareTest }).shareTest.client.connect());
  await waitFor(async () => expect((await view(away)).received).toEqual(sent), WAIT);
  expect((await view(away)).resets).toEqual([]);
  expect((await view(away)).role).toBe('follower');
});

it('a leading page that hangs loses the stream to a visible tab, and steps down when it runs again', async () => {
  const pages = await adaTabs(3);
  const leader = await leaderOf(pages);
  const others = pages.filter((page) => page !== leader);
  const first = await send('ada', 0, 3);
  await waitFor(async () => expect((await view(leader)).received).toEqual(first), WAIT);

  // A long task: the page keeps its lock (and its connection) but runs nothing for 14 s. It says
  // on a channel of its own when the task starts: the events go out once it runs.
  const hangMs = 14_000;
  const watcher = others[0] as Page;
  await watcher.evaluate(() => {
    const flag = globalThis as unknown as { hangStarted: boolean };
    flag.hangStarted = false;
    new BroadcastChannel('test:hang').onmessage = () => {
      flag.hangStarted = true;
    };
  });
  const hang = leader
    .evaluate((ms) => {
      const end = Date.now() + ms;
      new BroadcastChannel('test:hang').postMessage('hangs');
      while (Date.now() < end) {}
    }, hangMs)
    .catch(() => undefined);
  await watcher.waitForFunction(() => (globalThis as unknown as { hangStarted: boolean }).hangStarted);
  const hung = Date.now();
  const second = await send('ada', 3, 3);
  await waitFor(
    async () => {
      for (const tab of await views(others)) expect(tab.received).toEqual([...first, ...second]);
    },
    { ...WAIT, timeoutMs: hangMs - 2_000 },
  );
  expect(Date.now() - hung, 'served while the old leader still hangs').toBeLessThan(hangMs);
  expect((await views(others)).map((tab) => tab.role).sort()).toEqual(['follower', 'leader']);

  await hang;
  const third = await send('ada', 6, 2);
  await waitFor(async () => {
    const old = await view(leader);
    expect([old.role, old.received]).toEqual(['follower', [...first, ...second, ...third]]);
  }, WAIT);
  for (const tab of await views(others)) expect(tab.received).toEqual([...first, ...second, ...third]);
  await waitFor(() => expect(sse.stats().clients, 'one stream again').toBe(1), WAIT);
}, 60_000);
