import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoServer, type DemoServer, type DemoServerOptions } from '../src/server/demo-server';
import { launchBrowser, type TestBrowser } from './browser';
import {
  loggedEvents,
  notificationMessages,
  PAGE_TIMEOUT_MS,
  sequenceOf,
  waitForConnection,
  waitForNotification,
} from './page';

let browser: TestBrowser;
const servers = new Set<DemoServer>();

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
  for (const server of servers) await server.close();
  servers.clear();
});

/** A demo server that reconnecting clients come back to quickly (retry: 300 ms). */
async function startDemo(options: DemoServerOptions = {}): Promise<DemoServer> {
  const demo = await createDemoServer({ port: 0, retryMs: 300, onError: () => undefined, ...options });
  servers.add(demo);
  return demo;
}

async function notifyAll(demo: DemoServer, messages: readonly string[]): Promise<void> {
  for (const message of messages) await demo.dashboard.notify({ from: 'grace', message, severity: 'info' });
}

const MISSED = ['Missed 1', 'Missed 2', 'Missed 3', 'Missed 4', 'Missed 5'];

describe('the dashboard when the server goes away', () => {
  for (const transport of ['fetch', 'eventsource'] as const) {
    it(`shows reconnecting, comes back by itself and receives what it missed, in order (${transport})`, async () => {
      const demo = await startDemo();
      const { page } = await browser.open(`${demo.url}/?user=ada&transport=${transport}`);
      await waitForConnection(page, 'open');
      await demo.dashboard.notify({ from: 'grace', message: 'Before the outage', severity: 'info' });
      await waitForNotification(page, 'Before the outage');

      await demo.stopListening();
      await waitForConnection(page, 'reconnecting');
      expect(await page.locator('[data-testid="connection-state"] .badge-label').textContent()).toMatch(
        /^Reconnecting/,
      );
      // Published while the page cannot hear: kept in the emitter's replay buffer.
      await notifyAll(demo, MISSED);
      await demo.dashboard.notify({
        from: 'grace',
        message: 'Only for Grace',
        severity: 'info',
        to: 'grace',
      });

      await demo.startListening();
      await waitForConnection(page, 'open');
      await waitForNotification(page, 'Missed 5');
      expect(await notificationMessages(page)).toEqual([...MISSED].reverse().concat('Before the outage'));
      const replayed = (await loggedEvents(page, 'notification')).filter((entry) =>
        entry.data.includes('Missed'),
      );
      expect(replayed.map((entry) => /message: (Missed \d)/.exec(entry.data)?.[1])).toEqual(MISSED);
      const sequence = replayed.map((entry) => sequenceOf(entry.id));
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(await page.getByTestId('reset-banner').isHidden()).toBe(true);
      expect(demo.sse.stats().resets).toBe(0);
    });
  }

  it('"Simulate a 5 s outage" takes the server away; the page catches up on the job it missed', async () => {
    const demo = await startDemo({ jobStepMs: 100 });
    const { page } = await browser.open(`${demo.url}/?user=ada`);
    await waitForConnection(page, 'open');
    await demo.dashboard.startJob({ label: 'Long export', by: 'grace', steps: 60 });
    await page.getByTestId('simulate-outage').click();
    await waitForConnection(page, 'reconnecting');
    expect(await page.getByTestId('simulate-outage').isDisabled()).toBe(true);
    await demo.dashboard.notify({ from: 'grace', message: 'During the outage', severity: 'info' });

    await waitForConnection(page, 'open');
    await waitForNotification(page, 'During the outage');
    await page
      .locator('.job[data-status="done"]', { hasText: 'Long export' })
      .waitFor({ timeout: PAGE_TIMEOUT_MS });
    // Every step reached the page once and in order, those published during the outage included.
    const percents = (await loggedEvents(page, 'job:progress')).map((entry) =>
      Number(/percent: (\d+)/.exec(entry.data)?.[1]),
    );
    expect(percents).toEqual(Array.from({ length: 59 }, (_, index) => Math.round(((index + 1) / 60) * 100)));
    expect(await page.getByTestId('reset-banner').isHidden()).toBe(true);
    expect(demo.sse.stats().replayed).toBeGreaterThan(0);
  });

  it('shows a reset when the gap is larger than the replay buffer, and reloads its state', async () => {
    const demo = await startDemo({ replay: { maxEvents: 5 }, metricsIntervalMs: 0 });
    const { page } = await browser.open(`${demo.url}/?user=ada`);
    await waitForConnection(page, 'open');
    await demo.stopListening();
    await waitForConnection(page, 'reconnecting');
    const burst = Array.from({ length: 12 }, (_, index) => `Burst ${index + 1}`);
    await notifyAll(demo, burst);

    await demo.startListening();
    await waitForConnection(page, 'open');
    await page.getByTestId('reset-banner').waitFor({ state: 'visible', timeout: PAGE_TIMEOUT_MS });
    expect(await page.getByTestId('reset-banner').getAttribute('data-reason')).toBe('evicted');
    expect(await page.getByTestId('reset-message').textContent()).toMatch(/more events happened/i);
    // The state came back from GET /api/state: all twelve, not only the five the buffer held.
    await waitForNotification(page, 'Burst 1');
    expect(await notificationMessages(page)).toEqual([...burst].reverse());
    expect((await loggedEvents(page, 'sse:reset'))[0]?.data).toContain('reason: evicted');
  });

  it('after a full restart (a new process with a new buffer) shows a reset and the new state', async () => {
    const first = await startDemo();
    const { port } = first;
    const { page } = await browser.open(`${first.url}/?user=ada`);
    await waitForConnection(page, 'open');
    await first.dashboard.notify({ from: 'grace', message: 'From the old process', severity: 'info' });
    await waitForNotification(page, 'From the old process');

    await first.close();
    servers.delete(first);
    await waitForConnection(page, 'reconnecting');
    const second = await startDemo({ port });
    await second.dashboard.notify({ from: 'margaret', message: 'From the new process', severity: 'warning' });

    await waitForConnection(page, 'open');
    await page.getByTestId('reset-banner').waitFor({ state: 'visible', timeout: PAGE_TIMEOUT_MS });
    expect(await page.getByTestId('reset-banner').getAttribute('data-reason')).toBe('epoch-changed');
    // Published before the page came back, so not streamed to it: it shows because the page refetched.
    await waitForNotification(page, 'From the new process');
    expect(await notificationMessages(page)).toEqual(['From the new process']);
    // And the stream goes on live after the reset.
    await second.dashboard.notify({ from: 'margaret', message: 'Live again', severity: 'info' });
    await waitForNotification(page, 'Live again');
    await expect
      .poll(() => page.getByTestId('online-count').textContent(), { timeout: PAGE_TIMEOUT_MS })
      .toBe('1');
  });
});
