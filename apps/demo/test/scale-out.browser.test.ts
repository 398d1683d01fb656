import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoCluster, type DemoCluster } from '../src/server/demo-cluster';
import { launchBrowser, type TestBrowser } from './browser';
import {
  loggedEvents,
  notificationMessages,
  PAGE_TIMEOUT_MS,
  sequenceOf,
  waitForConnection,
  waitForNotification,
} from './page';

// `npm run demo -- --instances 2` in Chromium: two instances on one real redis-server, behind the
// round-robin proxy; "Simulate outage" takes down the tab's instance and the tab moves on.

let browser: TestBrowser;
let cluster: DemoCluster;

beforeAll(async () => {
  browser = await launchBrowser();
  cluster = await createDemoCluster({ instances: 2, server: { retryMs: 300, onError: () => undefined } });
});
afterAll(async () => {
  await browser?.close();
  await cluster?.close();
});

describe('the dashboard on two instances', () => {
  it('shows its instance, and moves to the other one without losing or repeating an event when it goes down', async () => {
    const { page, errors } = await browser.open(`${cluster.url}/?user=ada`);
    await waitForConnection(page, 'open');
    const badge = page.getByTestId('instance');
    await badge.waitFor({ state: 'visible', timeout: PAGE_TIMEOUT_MS });
    const first = /instance ([ab])/.exec((await badge.textContent()) ?? '')?.[1];
    expect(first).toMatch(/^[ab]$/);
    const other = cluster.instances.find((instance) => instance.name !== first);
    if (!other) throw new Error('two instances expected');
    await other.dashboard.notify({ from: 'grace', message: 'Before', severity: 'info' });
    await waitForNotification(page, 'Before');

    await page.getByTestId('simulate-outage').click();
    // The tab is reconnecting, or (when its backoff drew a delay near zero) already on the other
    // instance: the 'reconnecting' state can be too short to observe, so either fact will do.
    await page
      .locator('[data-testid="connection-state"][data-state="reconnecting"]')
      .or(page.getByTestId('instance').filter({ hasText: `instance ${other.name}` }))
      .first()
      .waitFor({ state: 'attached', timeout: PAGE_TIMEOUT_MS });
    const during = ['During 1', 'During 2', 'During 3'];
    for (const message of during) await other.dashboard.notify({ from: 'grace', message, severity: 'info' });

    await page
      .getByTestId('instance')
      .filter({ hasText: `instance ${other.name}` })
      .waitFor({ timeout: PAGE_TIMEOUT_MS });
    await waitForConnection(page, 'open');
    await waitForNotification(page, 'During 3');
    expect(await notificationMessages(page)).toEqual([...during].reverse().concat('Before'));
    // Each notification reached the page once, in the history's order, and no reset was needed.
    const logged = await loggedEvents(page, 'notification');
    expect(logged).toHaveLength(4);
    const sequence = logged.map((entry) => sequenceOf(entry.id));
    expect(sequence).toEqual([...sequence].sort((x, y) => x - y));
    expect(await page.getByTestId('reset-banner').isHidden()).toBe(true);
    // The user stayed online throughout: the instance that lost the tab did not announce a leave.
    expect(await loggedEvents(page, 'user:left')).toEqual([]);
    // Chromium logs the cut stream itself (net::ERR_INCOMPLETE_CHUNKED_ENCODING); nothing else.
    expect(errors.filter((error) => !error.includes('net::'))).toEqual([]);
  });
});
