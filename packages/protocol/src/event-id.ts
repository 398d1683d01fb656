// The event ID format, defined once for every package: `@app/sse-server`'s stores issue these IDs,
// `@app/sse-testing` mocks them, and the length limit bounds what a client stores and echoes.
// Event IDs are `<epoch>-<seq>`: the epoch names one life of a replay store (it changes when an
// in-memory store is recreated, for example on a restart), the sequence number counts the events
// that store has published, from 1. The epoch never contains `-`, so the ID splits unambiguously.

/**
 * The longest event ID: a server refuses a longer `Last-Event-ID` with 400, and a client neither
 * stores nor echoes a longer `id:` by default.
 *
 * @example
 * ```ts
 * if (id.length > MAX_EVENT_ID_LENGTH) throw new Error('not an event ID of this server');
 * ```
 */
export const MAX_EVENT_ID_LENGTH = 256;

const EVENT_ID = /^([0-9A-Za-z_]{1,64})-([0-9]{1,16})$/;
const EPOCH = /^[0-9A-Za-z_]{1,64}$/;

/**
 * An event ID taken apart.
 *
 * @example
 * ```ts
 * const position: EventPosition | undefined = parseEventId('m3k9x2ab-42'); // { epoch: 'm3k9x2ab', seq: 42 }
 * ```
 */
export interface EventPosition {
  /** The store life that issued the ID. */
  readonly epoch: string;
  /** The event's sequence number in that life; 0 means "before the first event". */
  readonly seq: number;
}

/**
 * Parses `<epoch>-<seq>`; `undefined` when `id` does not have that shape (too long, another
 * alphabet, a sequence number past `Number.MAX_SAFE_INTEGER`).
 *
 * @param id - an event ID, for example a client's `Last-Event-ID`
 *
 * @example
 * ```ts
 * parseEventId('m3k9x2ab-42'); // { epoch: 'm3k9x2ab', seq: 42 }
 * parseEventId('42');          // undefined
 * ```
 */
export function parseEventId(id: string): EventPosition | undefined {
  if (typeof id !== 'string' || id.length > MAX_EVENT_ID_LENGTH) return undefined;
  const match = EVENT_ID.exec(id);
  if (match === null) return undefined;
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(seq)) return undefined;
  return { epoch: match[1] as string, seq };
}

/**
 * Formats an event ID.
 *
 * @param epoch - the store life, `[0-9A-Za-z_]{1,64}`
 * @param seq - the sequence number, a non-negative safe integer
 *
 * @example
 * ```ts
 * formatEventId('m3k9x2ab', 42); // 'm3k9x2ab-42'
 * ```
 */
export function formatEventId(epoch: string, seq: number): string {
  return `${epoch}-${seq}`;
}

/**
 * A new epoch: the creation time in base 36 and 32 random bits, so two stores created in the same
 * millisecond (two processes, a quick restart) still differ. Letters and digits only.
 *
 * @example
 * ```ts
 * createEpoch(); // 'm3k9x2ab4f1c0d2e'
 * ```
 */
export function createEpoch(): string {
  const random = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
  return `${Date.now().toString(36)}${random.toString(36).padStart(7, '0')}`;
}

/**
 * Whether `epoch` can name a store life in an event ID: 1 to 64 letters, digits or underscores.
 *
 * @param epoch - a candidate epoch, such as a store option
 * @example
 * ```ts
 * isEpoch('m3k9x2ab4f1c0d2e'); // true
 * isEpoch('a-b'); // false: `-` separates the epoch from the sequence number
 * ```
 */
export function isEpoch(epoch: unknown): epoch is string {
  return typeof epoch === 'string' && EPOCH.test(epoch);
}
