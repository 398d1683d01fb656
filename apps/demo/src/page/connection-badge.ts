import type { ClientSnapshot } from '@app/sse-client';
import { byTestId } from './element';
import type { Transport } from './page-options';

const LABELS: Record<ClientSnapshot['state'], string> = {
  connecting: 'Connecting',
  open: 'Open',
  reconnecting: 'Reconnecting',
  closed: 'Closed',
};

/**
 * The badge text for a client snapshot: the state, and while reconnecting, what it waits for
 * (`Reconnecting in 3 s`, `Offline, waiting`).
 *
 * @param snapshot - the client's snapshot
 * @param now - the current time
 */
export function badgeLabel(snapshot: ClientSnapshot, now: number): string {
  if (snapshot.state !== 'reconnecting') return LABELS[snapshot.state];
  if (snapshot.paused === 'offline') return 'Offline, waiting for the network';
  if (snapshot.paused === 'hidden') return 'Paused while hidden';
  if (snapshot.retryAt === null) return 'Reconnecting…';
  const seconds = Math.max(0, Math.ceil((snapshot.retryAt - now) / 1000));
  return seconds === 0 ? 'Reconnecting…' : `Reconnecting in ${seconds} s`;
}

/**
 * What the badge says of this tab's part in a shared stream, or `''` when the tab has its own.
 *
 * @param role - the snapshot's `role`
 */
export function roleLabel(role: ClientSnapshot['role']): string {
  if (role === 'leader') return 'this tab holds the stream';
  if (role === 'follower') return 'stream shared from another tab';
  return '';
}

/**
 * Keeps the header's connection badge, transport and last event ID in step with the client,
 * counting down to the next reconnection attempt.
 *
 * @param read - returns the client's current snapshot
 * @param transport - the transport in use
 * @returns `update`: call it when the snapshot changes
 */
export function createConnectionBadge(read: () => ClientSnapshot, transport: Transport): { update(): void } {
  const badge = byTestId('connection-state');
  const label = badge.querySelector('.badge-label')!;
  const lastId = byTestId('last-event-id');
  const role = byTestId('tab-role');
  byTestId('transport').textContent = transport === 'eventsource' ? 'native EventSource' : 'fetch stream';
  let countdown: ReturnType<typeof setInterval> | undefined;

  function update(): void {
    const snapshot = read();
    badge.dataset.state = snapshot.state;
    label.textContent = badgeLabel(snapshot, Date.now());
    badge.title = snapshot.error ? snapshot.error.message : '';
    lastId.textContent = snapshot.lastEventId || 'none';
    role.textContent = roleLabel(snapshot.role);
    role.dataset.role = snapshot.role ?? 'own';
    role.hidden = snapshot.role === null;
    if (snapshot.retryAt !== null && countdown === undefined) {
      countdown = setInterval(update, 250);
    } else if (snapshot.retryAt === null && countdown !== undefined) {
      clearInterval(countdown);
      countdown = undefined;
    }
  }

  update();
  return { update };
}
