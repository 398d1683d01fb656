import { clampDelay } from '@app/sse-protocol';

// Every delay the client computes from outside input (the server's `heartbeatMs`, `retry:`,
// `Retry-After`, the backoff options) goes through the protocol's `clampDelay`, so none can overflow.

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
