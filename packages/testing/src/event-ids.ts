/**
 * Event IDs in the format `@app/sse-server` issues, `<epoch>-<seq>`: the epoch names one life of
 * the server's replay store, the sequence number counts its events from 1 (`<epoch>-0` is the
 * position before the first event). Kept in step with the server's `event-id.ts`, so that code
 * which stores or shows IDs sees in tests what it sees in production.
 */

const EVENT_ID = /^([0-9A-Za-z_]{1,64})-([0-9]{1,16})$/;

/**
 * A fresh epoch: base-36 time and 32 random bits, letters and digits only (as the server makes).
 *
 * @example
 * ```ts
 * createTestEpoch(); // 'm3k9x2ab4f1c0d2e'
 * ```
 */
export function createTestEpoch(): string {
  const random = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
  return `${Date.now().toString(36)}${random.toString(36).padStart(7, '0')}`;
}

/**
 * Parses `<epoch>-<seq>`; `undefined` for anything else.
 *
 * @param id - an event ID, such as a request's `Last-Event-ID`
 */
export function parseTestEventId(id: string): { epoch: string; seq: number } | undefined {
  const match = EVENT_ID.exec(id);
  if (match === null) return undefined;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { epoch: match[1] as string, seq } : undefined;
}

/**
 * Checks an epoch given in the options.
 *
 * @param epoch - the epoch
 * @throws TypeError when it is not 1 to 64 of `[0-9A-Za-z_]`
 */
export function assertEpoch(epoch: string): void {
  if (typeof epoch !== 'string' || !/^[0-9A-Za-z_]{1,64}$/.test(epoch)) {
    throw new TypeError(
      `@app/sse-testing: epoch must be 1 to 64 letters, digits or underscores (the server's ID format), got ${JSON.stringify(epoch)}`,
    );
  }
}
