import { vi } from 'vitest';

/** Bounds of {@link waitFor}. */
export interface WaitForOptions {
  /** Fail after this long (default 5,000 ms: loopback facts arrive in milliseconds). */
  timeoutMs?: number;
  /** Check this often (default 5 ms). */
  intervalMs?: number;
}

/**
 * Retries `assertion` (a function that calls `expect`) until it passes. On timeout it throws the
 * last assertion error, so a late or missing fact fails with the `expect` diff, never with a bare
 * "timed out". Under fake timers it advances the clock by `intervalMs` per check (`vi.waitFor`).
 *
 * @example
 * ```ts
 * await waitFor(() => expect(emitter.stats().clients, 'every stream to close').toBe(0));
 * ```
 */
export function waitFor<T>(assertion: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  return vi.waitFor(assertion, { timeout: options.timeoutMs ?? 5000, interval: options.intervalMs ?? 5 });
}
