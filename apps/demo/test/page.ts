import type { ClientState } from '@app/sse-client';
import type { Page } from 'playwright-core';

/** How long a page may take to show what the test waits for. */
export const PAGE_TIMEOUT_MS = 15_000;

/**
 * Waits until the connection badge shows `state`.
 *
 * @param page - the dashboard page
 * @param state - the client state the badge must show
 */
export async function waitForConnection(page: Page, state: ClientState): Promise<void> {
  await page
    .locator(`[data-testid="connection-state"][data-state="${state}"]`)
    .waitFor({ state: 'attached', timeout: PAGE_TIMEOUT_MS });
}

/**
 * The notification messages the page shows, newest first.
 *
 * @param page - the dashboard page
 */
export function notificationMessages(page: Page): Promise<string[]> {
  return page.locator('[data-testid="notification-list"] .note-message').allTextContents();
}

/**
 * Waits until the page shows a notification with exactly this message.
 *
 * @param page - the dashboard page
 * @param message - the message
 */
export async function waitForNotification(page: Page, message: string): Promise<void> {
  await page
    .locator('[data-testid="notification-list"] .note-message', { hasText: message })
    .first()
    .waitFor({ timeout: PAGE_TIMEOUT_MS });
}

/**
 * The event log's entries for one event name, oldest first, as `{ id, data }`.
 *
 * @param page - the dashboard page
 * @param name - the event name
 */
export async function loggedEvents(page: Page, name: string): Promise<{ id: string; data: string }[]> {
  const entries = await page
    .locator(`[data-testid="event-log"] [data-event="${name}"]`)
    .evaluateAll((items) =>
      items.map((item) => ({
        id: item.getAttribute('data-id') ?? '',
        data: item.querySelector('.log-data')?.textContent ?? '',
      })),
    );
  return entries.reverse();
}

/**
 * The sequence number of an event ID of our server (`<epoch>-<seq>`).
 *
 * @param id - the event ID
 */
export function sequenceOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}
