import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listen, type TestServer } from '@app/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotesApp, type NotesApp } from '../src/server/notes-app';

// The example as users run it, in Debian's Chromium: the production build served by Express, and
// the development setup (Vite's dev server proxying the API and the stream to Express).

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await browser?.close();
});

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByTestId('connection').filter({ hasText: 'open' }).waitFor();
  return { page, errors };
}

/** Adds a note in `writer` and waits until `reader` shows it (pushed over the stream). */
async function addAndSee(writer: Page, reader: Page, text: string): Promise<void> {
  await writer.getByRole('textbox', { name: 'Note' }).fill(text);
  await writer.getByRole('button', { name: 'Add' }).click();
  await reader.getByRole('list', { name: 'Notes' }).getByText(text).waitFor();
}

describe('the React example in Chromium', () => {
  it('production: the built page served by Express shows notes from another tab live', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'react-example-'));
    cleanups.push(() => rm(outDir, { recursive: true, force: true }));
    await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const notes: NotesApp = createNotesApp({ staticDir: outDir });
    const server: TestServer = await listen(notes.app);
    cleanups.push(
      () => notes.close(),
      () => server.close(),
    );
    const ada = await open(`${server.origin}/?author=ada`);
    const grace = await open(`${server.origin}/?author=grace`);
    await addAndSee(ada.page, grace.page, 'shipped the build');
    expect(await grace.page.getByRole('list', { name: 'Notes' }).getByText('ada').count()).toBe(1);
    // A page opened later starts from the snapshot.
    const linus = await open(`${server.origin}/?author=linus`);
    await linus.page.getByText('shipped the build').waitFor();
    expect([...ada.errors, ...grace.errors, ...linus.errors]).toEqual([]);
  });

  it('development: the Vite dev server proxies the API and the event stream to Express', async () => {
    const notes: NotesApp = createNotesApp();
    const backend: TestServer = await listen(notes.app);
    cleanups.push(
      () => notes.close(),
      () => backend.close(),
    );
    process.env.BACKEND_URL = backend.origin;
    const vite: ViteDevServer = await createServer({
      root,
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1' },
    });
    await vite.listen();
    cleanups.push(() => vite.close());
    const address = vite.httpServer?.address() as { port: number };
    const url = `http://127.0.0.1:${address.port}`;
    const ada = await open(`${url}/?author=ada`);
    const grace = await open(`${url}/?author=grace`);
    await addAndSee(grace.page, ada.page, 'through the proxy');
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  });
});
