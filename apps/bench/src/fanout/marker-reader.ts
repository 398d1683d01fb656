import { MARKER_BYTE } from './payload';

const QUOTE = 0x22;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;

/** Per-connection reader of tick events in the raw bytes of a response. */
export interface MarkerReader {
  /**
   * Scans the next bytes read from the socket.
   *
   * @param chunk - the bytes, cut anywhere (a marker and its number may span reads)
   * @param onTick - called once per complete tick with the publish time stamped in its payload
   */
  feed(chunk: Uint8Array, onTick: (publishedAtMicros: number) => void): void;
  /** Ticks seen so far. */
  readonly count: number;
}

/**
 * Creates a reader that finds each tick in a response body by its marker byte and reads the
 * publish time that follows it (`^":1234567,`). The scan is a native `indexOf` per marker, so the
 * load process spends its time on the network, not on parsing; a number cut between two reads is
 * carried over.
 *
 * @returns a fresh reader
 *
 * @example
 * ```ts
 * const reader = createMarkerReader();
 * socket.on('data', (chunk) => reader.feed(chunk, (t) => latencies.push(nowMicros() - t)));
 * ```
 */
export function createMarkerReader(): MarkerReader {
  let count = 0;
  // -1: not inside a marker; 0..1: bytes of `":` still to skip; 2: reading digits.
  let state = -1;
  let value = 0;

  function feed(chunk: Uint8Array, onTick: (publishedAtMicros: number) => void): void {
    let i = 0;
    const length = chunk.length;
    for (;;) {
      if (state === -1) {
        const at = chunk.indexOf(MARKER_BYTE, i);
        if (at === -1) return;
        state = 0;
        value = 0;
        i = at + 1;
      }
      while (state >= 0 && state < 2) {
        if (i === length) return; // `":` continues in the next read
        if (chunk[i] !== (state === 0 ? QUOTE : COLON))
          state = -1; // not a payload marker after all
        else {
          state++;
          i++;
        }
      }
      if (state === -1) continue;
      while (i < length) {
        const byte = chunk[i] as number;
        if (byte < ZERO || byte > NINE) break;
        value = value * 10 + (byte - ZERO);
        i++;
      }
      if (i === length) return; // the number may continue in the next read
      state = -1;
      count++;
      onTick(value);
    }
  }

  return {
    feed,
    get count() {
      return count;
    },
  };
}
