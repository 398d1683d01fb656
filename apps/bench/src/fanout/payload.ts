import { nowMicros } from './clock';

/** The event name every server under test broadcasts. */
export const TICK_EVENT = 'tick';

/** Size of each event's `data` (the JSON payload), in bytes: the "1 KB event" of the benchmark. */
export const PAYLOAD_BYTES = 1024;

/**
 * The byte that marks each payload on the wire: it appears once per tick event and nowhere else
 * in any server's output (headers, comments, `retry:`, ids, hello events), so the load process
 * can count deliveries with a native byte search and read the publish time that follows it.
 */
export const MARKER_BYTE = 0x5e; // '^'

/** The payload of one tick: `{"^":<publish time µs>,"seq":<n>,"pad":"xxx…"}`, 1 KB of JSON. */
export interface TickPayload {
  /** When the server published it, from {@link nowMicros}. The key is the marker byte. */
  '^': number;
  /** Publish sequence number within the server process. */
  seq: number;
  /** Filler that brings the JSON to {@link PAYLOAD_BYTES}. */
  pad: string;
}

const PAD_UNIT = 'x'.repeat(PAYLOAD_BYTES);

/**
 * A tick payload stamped with the current time, padded so its JSON is exactly
 * {@link PAYLOAD_BYTES} bytes long.
 *
 * @param seq - the publish sequence number
 * @returns the payload object (every server serialises it with `JSON.stringify`)
 *
 * @example
 * ```ts
 * JSON.stringify(tickPayload(1)).length; // 1024
 * ```
 */
export function tickPayload(seq: number): TickPayload {
  const stamp = nowMicros();
  // `{"^":` + stamp + `,"seq":` + seq + `,"pad":"` + pad + `"}`
  const overhead = 5 + String(stamp).length + 7 + String(seq).length + 8 + 2;
  return { '^': stamp, seq, pad: PAD_UNIT.slice(0, PAYLOAD_BYTES - overhead) };
}

/**
 * A tick as the raw writers send it: one pre-encoded frame (`id`, `event`, `data` lines), made
 * once per event and written to every stream.
 *
 * @param payload - the tick
 * @returns the frame's bytes
 *
 * @example
 * ```ts
 * for (const res of responses) res.write(rawTickFrame(tickPayload(1)));
 * ```
 */
export function rawTickFrame(payload: TickPayload): Buffer {
  return Buffer.from(`id: ${payload.seq}\nevent: ${TICK_EVENT}\ndata: ${JSON.stringify(payload)}\n\n`);
}
