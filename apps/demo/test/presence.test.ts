import { createParserStream, type ParsedEvent } from '@app/sse-protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/api-contract';
import { createDemoServer, type DemoServer } from '../src/server/demo-server';
import { snapshotSchema } from '../src/snapshot';

// Long enough for a reconnect to land inside it on a loaded machine, short enough to wait out.
const GRACE_MS = 500;
const POLL = { timeout: 5000, interval: 20 };

let demo: DemoServer;
const streams: AbortController[] = [];
const errors: unknown[] = [];

beforeEach(async () => {
  demo = await createDemoServer({
    port: 0,
    metricsIntervalMs: 0,
    presenceGraceMs: GRACE_MS,
    onError: (error) => errors.push(error),
  });
});
afterEach(async () => {
  for (const controller of streams.splice(0)) controller.abort();
  await demo.close();
  expect(errors.splice(0)).toEqual([]);
});

/** An open event stream of `user`, recording its events, closed by `close()` (or after the test). */
async function openStream(user: string) {
  const controller = new AbortController();
  streams.push(controller);
  const response = await fetch(`${demo.url}${ROUTES.events}?user=${user}`, { signal: controller.signal });
  expect(response.status).toBe(200);
  const received: ParsedEvent[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(createParserStream()).getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      received.push(value);
    }
  })().catch(() => undefined); // the abort that closes the stream ends this loop
  await expect.poll(() => received.length, POLL).toBeGreaterThan(0);
  return {
    /** The `user:joined` and `user:left` events received, as `joined ada` / `left ada`. */
    presence: () =>
      received
        .filter((event) => event.event === 'user:joined' || event.event === 'user:left')
        .map((event) => `${event.event.slice(5)} ${JSON.parse(event.data).userId}`),
    close: () => controller.abort(),
  };
}

const online = () =>
  snapshotSchema
    .parse(demo.dashboard.snapshot('linus'))
    .online.map((user) => user.userId)
    .sort();

/** The answer's status once it is complete (a refusal, or HEAD). */
async function statusOf(path: string, method = 'GET'): Promise<number> {
  const response = await fetch(`${demo.url}${path}`, { method });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Waits until one grace period has passed since now, by a fact rather than a clock: a sentinel
 * user opens and closes a stream and `watcher` sees them leave. The tracker's timers all last
 * `GRACE_MS`, and timers of one duration fire in the order they were set, so any leave scheduled
 * before the sentinel's (a bug) has fired by then.
 */
async function passGracePeriod(watcher: Awaited<ReturnType<typeof openStream>>): Promise<void> {
  const leavesBefore = watcher.presence().filter((entry) => entry === 'left margaret').length;
  const sentinel = await openStream('margaret');
  sentinel.close();
  await expect
    .poll(() => watcher.presence().filter((entry) => entry === 'left margaret').length, POLL)
    .toBe(leavesBefore + 1);
}

/** What `watcher` saw, without the sentinel's comings and goings. */
const presenceOf = (watcher: Awaited<ReturnType<typeof openStream>>) =>
  watcher.presence().filter((entry) => !entry.endsWith(' margaret'));

describe('presence over real streams', () => {
  it('counts accepted streams only: online from the first, gone a grace period after the last', async () => {
    const watcher = await openStream('linus');
    await expect.poll(online, POLL).toEqual(['linus']);

    const first = await openStream('ada');
    const second = await openStream('ada');
    await expect.poll(online, POLL).toEqual(['ada', 'linus']);

    // Answers that open no stream: never a join, whoever they name.
    expect(await statusOf(`${ROUTES.events}?user=grace`, 'HEAD')).toBe(200);
    expect(await statusOf(`${ROUTES.events}?user=grace`, 'POST')).toBe(404);
    expect(await statusOf(ROUTES.events)).toBe(401);
    expect(await statusOf(`${ROUTES.events}?user=mallory`)).toBe(403);

    first.close();
    await expect.poll(() => demo.sse.stats().clients, POLL).toBe(2);
    await passGracePeriod(watcher);
    expect(online()).toEqual(['ada', 'linus']);
    second.close();
    await expect.poll(online, POLL).toEqual(['linus']);
    // Its own join too: published from onConnect, it reaches the new stream after its sse:hello.
    const expected = ['joined linus', 'joined ada', 'left ada'];
    await expect.poll(() => presenceOf(watcher), POLL).toEqual(expected);
    await passGracePeriod(watcher);
    expect(presenceOf(watcher)).toEqual(expected);
  });

  it('a reconnect inside the grace period is neither a leave nor a join', async () => {
    const watcher = await openStream('linus');
    const tab = await openStream('grace');
    await expect.poll(online, POLL).toEqual(['grace', 'linus']);
    tab.close();
    await expect.poll(() => demo.sse.stats().clients, POLL).toBe(1);
    await openStream('grace');
    await passGracePeriod(watcher);
    expect(online()).toEqual(['grace', 'linus']);
    expect(presenceOf(watcher)).toEqual(['joined linus', 'joined grace']);
  });
});
