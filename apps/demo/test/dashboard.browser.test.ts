import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoServer, type DemoServer } from '../src/server/demo-server';
import { launchBrowser, type TestBrowser } from './browser';
import {
  loggedEvents,
  notificationMessages,
  PAGE_TIMEOUT_MS,
  waitForConnection,
  waitForNotification,
} from './page';

const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../../docs/demo-dashboard.png', import.meta.url));

let browser: TestBrowser;
let demo: DemoServer;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  demo = await createDemoServer({ port: 0, jobStepMs: 60, retryMs: 500, onError: () => undefined });
});
afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
  await demo.close();
});

describe('the dashboard in Chromium', () => {
  it('shows presence, metrics, notifications and the event log as events arrive', async () => {
    const { page, errors } = await browser.open(`${demo.url}/?user=ada`);
    await waitForConnection(page, 'open');
    await expect
      .poll(() => page.getByTestId('online-count').textContent(), { timeout: PAGE_TIMEOUT_MS })
      .toBe('1');
    expect(await page.locator('[data-testid="online-list"] [data-user="ada"]').textContent()).toContain(
      'you',
    );
    // Metrics arrive every second: the tiles fill and the chart draws a line.
    await page.locator('[data-testid="metrics-chart"] .series-line').waitFor({ timeout: PAGE_TIMEOUT_MS });
    expect(await page.locator('[data-metric="connections"] .tile-value').textContent()).toMatch(/^\d+$/);

    await demo.dashboard.notify({ from: 'grace', message: 'Deploy finished', severity: 'warning' });
    await waitForNotification(page, 'Deploy finished');
    expect(await page.locator('.note[data-severity="warning"]').count()).toBe(1);
    const [logged] = await loggedEvents(page, 'notification');
    expect(logged?.data).toContain('Deploy finished');
    expect(await page.getByTestId('last-event-id').textContent()).toMatch(/^\w+-\d+$/);
    expect(await page.getByTestId('transport').textContent()).toBe('fetch stream');
    expect(errors).toEqual([]);
  });

  it('shows each user only their own private notifications, sent from the page', async () => {
    const ada = await browser.open(`${demo.url}/?user=ada`);
    const grace = await browser.open(`${demo.url}/?user=grace`);
    await waitForConnection(ada.page, 'open');
    await waitForConnection(grace.page, 'open');
    await expect
      .poll(() => ada.page.getByTestId('online-count').textContent(), { timeout: PAGE_TIMEOUT_MS })
      .toBe('2');

    // Ada writes to Grace only, through the form (in the front tab: background tabs get no frames).
    await ada.page.bringToFront();
    await ada.page.getByTestId('notify-message').fill('Grace, your review is due');
    await ada.page.getByTestId('notify-to').selectOption('grace');
    await ada.page.locator('.segmented span', { hasText: 'Warning' }).click();
    await ada.page.getByTestId('notify-send').click();
    await waitForNotification(grace.page, 'Grace, your review is due');
    await expect
      .poll(() => ada.page.getByTestId('notify-status').textContent(), { timeout: PAGE_TIMEOUT_MS })
      .toBe('Sent to Grace Hopper only.');
    expect(
      await grace.page.locator('.note', { hasText: 'Grace, your review is due' }).textContent(),
    ).toContain('Only you');

    // Grace broadcasts: both see it, and Ada still has not seen the private one.
    await grace.page.bringToFront();
    await grace.page.getByTestId('notify-message').fill('Standup in 5 minutes');
    await grace.page.getByTestId('notify-send').click();
    await waitForNotification(ada.page, 'Standup in 5 minutes');
    await waitForNotification(grace.page, 'Standup in 5 minutes');
    expect(await notificationMessages(ada.page)).toEqual(['Standup in 5 minutes']);
    expect(await notificationMessages(grace.page)).toEqual([
      'Standup in 5 minutes',
      'Grace, your review is due',
    ]);
    // Nor did the private one reach Ada's stream at all (not only hidden): her log never saw it.
    expect((await loggedEvents(ada.page, 'notification')).map((entry) => entry.data).join()).not.toContain(
      'review',
    );

    // A bad request shows the server's validation message.
    await ada.page.bringToFront();
    await ada.page.getByTestId('notify-message').fill('   ');
    await ada.page.getByTestId('notify-send').click();
    await ada.page.getByTestId('notify-error').waitFor({ state: 'visible', timeout: PAGE_TIMEOUT_MS });
    expect(await ada.page.getByTestId('notify-error').textContent()).toContain(
      'body.message: a notification needs a message',
    );
    expect([...ada.errors, ...grace.errors].filter((error) => !error.includes('400'))).toEqual([]);
  });

  it('runs a job started from the page to completion, with progress streamed to every tab', async () => {
    const ada = await browser.open(`${demo.url}/?user=ada`);
    const grace = await browser.open(`${demo.url}/?user=grace`);
    await waitForConnection(ada.page, 'open');
    await waitForConnection(grace.page, 'open');
    await ada.page.bringToFront();
    await ada.page.getByTestId('job-label').fill('Nightly export');
    await ada.page.getByTestId('job-start').click();

    const job = grace.page.locator('[data-testid="job-list"] .job', { hasText: 'Nightly export' });
    await job.waitFor({ timeout: PAGE_TIMEOUT_MS });
    await grace.page
      .locator('.job[data-status="done"]', { hasText: 'Nightly export' })
      .waitFor({ timeout: PAGE_TIMEOUT_MS });
    expect(await job.locator('.job-percent').textContent()).toBe('Done');
    expect(await job.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');
    expect(await job.locator('.job-meta').textContent()).toMatch(/Finished in .* started by Ada Lovelace/);

    // Every step arrived, in order, each once.
    const percents = (await loggedEvents(grace.page, 'job:progress')).map((entry) =>
      Number(/percent: (\d+)/.exec(entry.data)?.[1]),
    );
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBe(percents.length);
    expect(percents).toHaveLength(19);
    await ada.page
      .locator('.job[data-status="done"]', { hasText: 'Nightly export' })
      .waitFor({ timeout: PAGE_TIMEOUT_MS });
  });

  it('works over the native EventSource transport, private notifications included', async () => {
    const { page, errors } = await browser.open(`${demo.url}/?user=linus&transport=eventsource`);
    await waitForConnection(page, 'open');
    expect(await page.getByTestId('transport').textContent()).toBe('native EventSource');
    await demo.dashboard.notify({ from: 'ada', message: 'Hello everyone', severity: 'info' });
    await demo.dashboard.notify({ from: 'ada', message: 'Hello Linus', severity: 'info', to: 'linus' });
    await demo.dashboard.notify({ from: 'ada', message: 'Hello Grace', severity: 'info', to: 'grace' });
    await waitForNotification(page, 'Hello Linus');
    await waitForNotification(page, 'Hello everyone');
    expect(await notificationMessages(page)).toEqual(['Hello Linus', 'Hello everyone']);
    expect(errors).toEqual([]);
  });

  it('saves a screenshot of a busy dashboard', async () => {
    const updateDocs = process.env.UPDATE_DOCS_SCREENSHOT === '1';
    await browser.open(`${demo.url}/?user=grace`);
    await browser.open(`${demo.url}/?user=margaret`);
    const { page } = await browser.open(`${demo.url}/?user=ada`);
    await waitForConnection(page, 'open');
    await demo.dashboard.notify({
      from: 'grace',
      message: 'Release 2.4.0 is live in all regions',
      severity: 'info',
    });
    await demo.dashboard.notify({
      from: 'linus',
      message: 'Disk usage on db-2 is above 85%',
      severity: 'warning',
    });
    await demo.dashboard.notify({
      from: 'grace',
      message: 'Ada, PR #128 is waiting for your review',
      severity: 'info',
      to: 'ada',
    });
    await demo.dashboard.notify({
      from: 'margaret',
      message: 'Payment webhook failing: 3 retries left',
      severity: 'error',
    });
    if (updateDocs) {
      // The docs picture shows a minute of real activity: jobs coming and going move the chart.
      await demo.dashboard.startJob({ label: 'Nightly export', by: 'grace', steps: 40 });
      await page.waitForTimeout(7000);
      await demo.dashboard.startJob({ label: 'Cache warm-up', by: 'margaret', steps: 25 });
      await page.waitForTimeout(6000);
    }
    await demo.dashboard.startJob({ label: 'Quarterly report', by: 'ada', steps: 10 });
    await page
      .locator('.job[data-status="done"]', { hasText: 'Quarterly report' })
      .waitFor({ timeout: PAGE_TIMEOUT_MS });
    if (updateDocs) await page.waitForTimeout(5000);
    await demo.dashboard.startJob({ label: 'Database backup', by: 'grace', steps: updateDocs ? 100 : 40 });
    const backup = page.locator('.job', { hasText: 'Database backup' }).locator('[role="progressbar"]');
    await expect
      .poll(async () => Number(await backup.getAttribute('aria-valuenow')), { timeout: PAGE_TIMEOUT_MS })
      .toBeGreaterThanOrEqual(55);
    await page.locator('[data-metric="eventsPerSecond"]').click();
    expect(await page.locator('[data-metric="eventsPerSecond"]').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('log-hide-metrics').check();
    await mkdir(RESULTS_DIR, { recursive: true });
    const path = `${RESULTS_DIR}demo-dashboard.png`;
    await page.screenshot({ path, fullPage: true });
    if (updateDocs) await copyFile(path, DOCS_SCREENSHOT);
    expect(await page.locator('.note').count()).toBe(4);
    expect(await page.getByTestId('online-count').textContent()).toBe('3');
  }, 60_000);

  it("shares one stream between a user's tabs, says which tab holds it, and hands over when it closes", async () => {
    const tabs = [
      await browser.open(`${demo.url}/?user=ada`),
      await browser.open(`${demo.url}/?user=ada`),
      await browser.open(`${demo.url}/?user=ada`),
    ];
    for (const { page } of tabs) await waitForConnection(page, 'open');
    const roles = () =>
      Promise.all(tabs.map(({ page }) => page.getByTestId('tab-role').getAttribute('data-role')));
    await expect
      .poll(async () => (await roles()).sort(), { timeout: PAGE_TIMEOUT_MS })
      .toEqual(['follower', 'follower', 'leader']);
    expect(demo.sse.stats().clients, 'streams on the server').toBe(1);
    // The metrics tile counts the streams on the server: one for three tabs.
    const leader = tabs[(await roles()).indexOf('leader')]!;
    await expect
      .poll(() => leader.page.locator('[data-metric="connections"] .tile-value').textContent(), {
        timeout: PAGE_TIMEOUT_MS,
      })
      .toBe('1');

    await leader.page.close();
    const survivors = tabs.filter((tab) => tab !== leader);
    await demo.dashboard.notify({ from: 'grace', message: 'After the handover', severity: 'info' });
    for (const { page } of survivors) await waitForNotification(page, 'After the handover');
    await expect
      .poll(
        async () =>
          (
            await Promise.all(
              survivors.map(({ page }) => page.getByTestId('tab-role').getAttribute('data-role')),
            )
          ).sort(),
        {
          timeout: PAGE_TIMEOUT_MS,
        },
      )
      .toEqual(['follower', 'leader']);
    expect(demo.sse.stats().clients).toBe(1);
    for (const { page, errors } of survivors) {
      expect(await notificationMessages(page)).toEqual(['After the handover']);
      expect(errors).toEqual([]);
    }
  });
});
