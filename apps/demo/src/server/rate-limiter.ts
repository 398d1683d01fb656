/**
 * A sliding-window limit of actions per key (per user here): at most `limit` in any `windowMs`.
 * Memory is bounded by the keys (the demo's fixed users) times `limit` timestamps each.
 */
export interface RateLimiter {
  /**
   * Counts one action of `key` if the window has room.
   * @returns 0 when allowed, else the milliseconds until the next action would be
   */
  take(key: string): number;
}

/**
 * Creates a limiter.
 *
 * @param limit - actions allowed per window
 * @param windowMs - the window
 * @param now - the clock (tests pass a fake one)
 * @example
 * ```ts
 * const jobStarts = createRateLimiter(3, 10_000);
 * if (jobStarts.take(userId) > 0) res.status(429);
 * ```
 */
export function createRateLimiter(
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
): RateLimiter {
  const recent = new Map<string, number[]>();
  return {
    take(key) {
      const at = now();
      const times = (recent.get(key) ?? []).filter((time) => at - time < windowMs);
      if (times.length >= limit) {
        recent.set(key, times);
        return windowMs - (at - (times[0] as number));
      }
      times.push(at);
      recent.set(key, times);
      return 0;
    },
  };
}
