/**
 * The longest delay a timer can be given: 2^31 - 1 ms (about 24.8 days). Browsers, Node, Deno and
 * Bun store the delay as a signed 32-bit integer; a longer one does not wait longer, it fires at
 * once (Node: after 1 ms, with a `TimeoutOverflowWarning`). A timer that re-arms itself for a
 * computed delay would then spin in a hot loop.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A computed delay made safe for `setTimeout`: `NaN` and negatives become 0, anything above
 * {@link MAX_TIMER_DELAY_MS} (including `Infinity`) becomes that maximum.
 *
 * Every delay the client computes from outside input (the server's `heartbeatMs`, `retry:`,
 * `Retry-After`, the backoff options) goes through here, so none can overflow.
 *
 * @param ms - the wanted delay in milliseconds
 * @returns a delay in `[0, MAX_TIMER_DELAY_MS]`
 */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}

/**
 * `setTimeout` with the delay passed through {@link clampDelay}: the only way the client arms a
 * timer. A delay past the maximum waits the maximum (never fires early); callers that need the
 * full wait check the time when it fires and arm again for what is left.
 *
 * @param callback - what to run
 * @param ms - the wanted delay in milliseconds
 * @returns the timer, for `clearTimeout`
 */
export function setClampedTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, clampDelay(ms));
}
