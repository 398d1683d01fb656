import type { ResetInfo } from '@app/sse-client';
import { byTestId } from './element';

const REASONS: Record<ResetInfo['reason'], string> = {
  evicted: 'More events happened while you were away than the server keeps for replay.',
  'epoch-changed': 'The server restarted and its event history started over.',
  'unknown-id': 'The server did not recognise where this page left off.',
};

/**
 * Shows why the page could not catch up event by event and that it reloaded its state instead.
 *
 * @param info - the `sse:reset` payload
 */
export function showReset(info: ResetInfo): void {
  const banner = byTestId('reset-banner');
  banner.dataset.reason = info.reason;
  byTestId('reset-message').textContent =
    `${REASONS[info.reason]} The dashboard reloaded its state from the server, so nothing shown is stale.`;
  banner.hidden = false;
}

/** Wires the banner's "Dismiss" button. */
export function setUpResetBanner(): void {
  byTestId('reset-dismiss').addEventListener('click', () => {
    byTestId('reset-banner').hidden = true;
  });
}
