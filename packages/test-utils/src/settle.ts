// Captured at load, before any test installs fake timers: these count real event-loop turns.
const realSetImmediate = globalThis.setImmediate;

const nextTurn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * Lets pending I/O callbacks and promise chains run for `turns` real event-loop turns, without
 * reading the clock (fake time stays where it is). For "and nothing else happens" checks: after
 * settling, the assertion that follows sees every late callback a bug could have produced.
 */
export async function settle(turns = 20): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await nextTurn();
}

/**
 * Retries `assertion` (a function that calls `expect`) once per event-loop turn until it passes,
 * and throws its last error (with the diff) after `maxTurns`. Unlike {@link waitFor} it never
 * reads or moves the clock, so suites on fake timers decide exactly when time passes: what it
 * waits for is I/O and promise chains (a mocked response arriving, a stream being read).
 */
export async function settleUntil(assertion: () => void, maxTurns = 500): Promise<void> {
  for (let turn = 1; ; turn++) {
    try {
      assertion();
      return;
    } catch (error) {
      if (turn >= maxTurns) throw error;
    }
    await nextTurn();
  }
}
