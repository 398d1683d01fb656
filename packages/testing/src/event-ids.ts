import { createEpoch, isEpoch } from '@app/sse-protocol';

/**
 * A fresh epoch in the format `@app/sse-server`'s stores use (the protocol's `createEpoch`), so that
 * code which stores or shows event IDs sees in tests what it sees in production.
 *
 * @example
 * ```ts
 * createTestEpoch(); // 'm3k9x2ab4f1c0d2e'
 * ```
 */
export function createTestEpoch(): string {
  return createEpoch();
}

/**
 * Checks an epoch given in the options.
 *
 * @param epoch - the epoch
 * @throws TypeError when it is not 1 to 64 of `[0-9A-Za-z_]`
 */
export function assertEpoch(epoch: string): void {
  if (!isEpoch(epoch)) {
    throw new TypeError(
      `@app/sse-testing: epoch must be 1 to 64 letters, digits or underscores (the server's ID format), got ${JSON.stringify(epoch)}`,
    );
  }
}
