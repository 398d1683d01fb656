/**
 * How the reconnection delay is randomised (default `'full'`):
 * - `full`: a uniform delay in `[0, ceiling)`, the "full jitter" of the AWS architecture blog.
 *   Clients that lose the server at the same moment spread their return over the whole window
 *   instead of arriving in one burst.
 * - `equal`: half the ceiling plus a uniform delay in `[0, ceiling / 2)`.
 * - `none`: exactly the ceiling (deterministic; for tests and single clients only).
 *
 * @defaultValue `'full'`
 *
 * @example
 * ```ts
 * createClient({ url: '/events', events, backoff: { jitter: 'equal' } });
 * ```
 */
export type BackoffJitter = 'full' | 'equal' | 'none';

/**
 * Backoff settings, every field filled in. `createClient` takes any part of it as the `backoff`
 * option; the rest comes from {@link DEFAULT_BACKOFF}.
 *
 * @example
 * ```ts
 * const slow: BackoffConfig = { initialMs: 5000, maxMs: 120_000, factor: 3, jitter: 'full' };
 * backoffDelay(2, slow.initialMs, slow, Math.random); // somewhere in [0, 45000)
 * ```
 */
export interface BackoffConfig {
  /**
   * The first step's ceiling, until the server's `retry:` field replaces it (the client then waits
   * that `retry:` value first, and the backoff on top).
   * @defaultValue `1000`
   */
  initialMs: number;
  /**
   * The largest ceiling. It caps the backoff only: a server's longer `retry:` is still waited
   * whole before it (the spec's reconnection time is a least wait).
   * @defaultValue `30000`
   */
  maxMs: number;
  /**
   * How much the ceiling grows per consecutive failure.
   * @defaultValue `2`
   */
  factor: number;
  /**
   * How the delay is randomised within the ceiling.
   * @defaultValue `'full'`
   */
  jitter: BackoffJitter;
}

/**
 * The delay before reconnection attempt `attempt` (0 for the first retry after a failure):
 * `min(maxMs, base * factor ^ attempt)`, randomised by `jitter`.
 *
 * @param attempt - consecutive failures so far, minus one (0, 1, 2, ...)
 * @param baseMs - the first step's ceiling: the server's `retry:` value, else `initialMs`
 * @param config - the backoff settings
 * @param random - a uniform random number in `[0, 1)`
 * @returns the delay in whole milliseconds
 *
 * @example
 * ```ts
 * backoffDelay(3, 1000, { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 'full' }, Math.random);
 * // somewhere in [0, 8000)
 * ```
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  config: BackoffConfig,
  random: () => number,
): number {
  // `factor ** attempt` reaches Infinity after ~1000 attempts; min() caps it, and a zero base
  // stays zero instead of becoming NaN (0 * Infinity).
  const ceiling = baseMs === 0 ? 0 : Math.min(config.maxMs, baseMs * config.factor ** attempt);
  switch (config.jitter) {
    case 'none':
      return Math.floor(ceiling);
    case 'equal':
      return Math.floor(ceiling / 2 + random() * (ceiling / 2));
    default:
      return Math.floor(random() * ceiling);
  }
}

const DIGITS = /^\d+$/;
const HAS_LETTERS = /[a-z]/i;

/**
 * Reads a `Retry-After` header (RFC 9110 section 10.2.3): either a number of seconds or an HTTP
 * date.
 *
 * @param value - the header value, or `null` when absent
 * @param now - the current time in epoch milliseconds
 * @returns the delay it asks for in milliseconds (0 for a date in the past), or `undefined` when
 * the header is absent or unreadable
 *
 * @example
 * ```ts
 * retryAfterDelay('120', Date.now()); // 120000
 * retryAfterDelay('Wed, 21 Oct 2015 07:28:00 GMT', Date.now()); // 0 (in the past)
 * ```
 */
export function retryAfterDelay(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (DIGITS.test(text)) return Number.parseInt(text, 10) * 1000;
  // Every HTTP-date form names the day and month; without letters, Date.parse would read "-5"
  // or "2030" as years.
  if (!HAS_LETTERS.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
