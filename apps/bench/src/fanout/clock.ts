/**
 * Microseconds on the machine's monotonic clock (`CLOCK_MONOTONIC` through `process.hrtime`).
 * Unlike `Date.now()` it never jumps and has sub-millisecond resolution, and unlike
 * `performance.now()` it has the same origin in every process of the machine, so a time stamped by
 * the server process can be subtracted from a time read in the load process.
 *
 * @returns the current time in whole microseconds
 *
 * @example
 * ```ts
 * const publishedAt = nowMicros(); // in the server
 * const latencyMicros = nowMicros() - publishedAt; // in another process
 * ```
 */
export function nowMicros(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1_000_000 + Math.floor(nanoseconds / 1000);
}
