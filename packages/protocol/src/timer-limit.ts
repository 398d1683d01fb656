/**
 * The longest delay a timer can be given: 2^31 - 1 ms (about 24.8 days). Browsers, Node, Deno and
 * Bun store the delay as a signed 32-bit integer; a longer one does not wait longer, it fires at
 * once (Node: after 1 ms, with a `TimeoutOverflowWarning`). A timer that re-arms itself for a
 * computed delay would then spin in a hot loop. Servers refuse options past it; clients clamp
 * what they compute from a server's input to it.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A computed delay made safe for `setTimeout`: `NaN` and negatives become 0, anything above
 * {@link MAX_TIMER_DELAY_MS} (including `Infinity`) becomes that maximum.
 *
 * @param ms - the wanted delay in milliseconds
 * @returns a delay in `[0, MAX_TIMER_DELAY_MS]`
 * @example
 * ```ts
 * setTimeout(reconnect, clampDelay(heartbeatMs * 3)); // never overflows into a 1 ms loop
 * ```
 */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}
