import { Buffer } from 'node:buffer';
import {
  encodeComment,
  encodeEvent,
  encodeRetry,
  HELLO_EVENT,
  RESET_EVENT,
  type ResetReason,
} from '@app/sse-protocol';
import type { Greeting } from './greeting';

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of `text` as a `Buffer` that owns exactly its memory, for frames that are kept (the
 * replay store holds thousands): `Buffer.from(string)` would carve small strings out of a shared
 * 8 KiB pool, and one kept frame would then pin a whole pool slab. A `Buffer` (rather than a bare
 * `Uint8Array`) is what sockets write without wrapping it again on every write.
 *
 * @param text - the encoded event text
 */
export function toOwnedBytes(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * UTF-8 bytes of a short-lived frame written once (`sse:hello`, `sse:reset`): taken from Node's
 * shared pool, which costs no allocation of its own per connection.
 *
 * @param text - the encoded event text
 */
function toBytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/**
 * The first bytes of every stream: a comment, so that proxies and the client see the stream alive
 * at once, and the reconnection time.
 *
 * @param retryMs - the reconnection time in milliseconds
 */
export function preludeFrame(retryMs: number): Uint8Array {
  return toOwnedBytes(`${encodeComment('ok')}${encodeRetry(retryMs)}\n`);
}

/** The heartbeat comment (comments are ignored by clients but keep idle connections alive). */
export function heartbeatFrame(): Uint8Array {
  return toOwnedBytes(encodeComment('ping'));
}

/**
 * The `retry:` field sent before a graceful close, followed by a blank line so that it stands alone.
 *
 * @param retryMs - when clients should reconnect, in milliseconds
 */
export function retryFrame(retryMs: number): Uint8Array {
  return toOwnedBytes(`${encodeRetry(retryMs)}\n`);
}

/**
 * The `sse:hello` event. Its `id` is the position the stream continues from, so the client's last
 * event ID is right even before the first catalog event (an `id` field sets it, spec step
 * "If the field name is id"). Before an `sse:reset` it has none: see {@link resetFrame}.
 *
 * @param id - the position: the client's own `Last-Event-ID` on a resume, the store's head on a
 * first connection; `undefined` when a reset follows (the position moves with the reset only)
 * @param clientId - the connection's ID
 * @param greeting - the rest of the hello, the same for every connection
 */
export function helloFrame(id: string | undefined, clientId: string, greeting: Greeting): Uint8Array {
  return toBytes(encodeEvent({ id, event: HELLO_EVENT, data: JSON.stringify({ clientId, ...greeting }) }));
}

/**
 * The `sse:reset` event: the store could not replay from `lastEventId`. It carries the store's
 * head as its `id`, and it alone moves the client there: the spec drops an event the stream was
 * cut inside of ("If the file ends in the middle of an event, before the final empty line, the
 * incomplete event is not dispatched"), so a cut before the reset's last byte leaves the client at
 * its old position, its next resume is answered with a reset again, and no gap is ever silent. Were
 * the position moved by the hello before it, such a cut would leave the client at the head without
 * the reset, and the events in between would be lost unannounced. Any store keeps this order: the
 * emitter writes these frames, not the store.
 *
 * @param reason - why the replay was impossible
 * @param lastEventId - the ID the client asked to resume from
 * @param head - the position the stream goes on from: the newest event the store holds
 */
export function resetFrame(reason: ResetReason, lastEventId: string, head: string): Uint8Array {
  return toBytes(
    encodeEvent({ id: head, event: RESET_EVENT, data: JSON.stringify({ reason, lastEventId }) }),
  );
}

/**
 * Joins frames into one chunk.
 *
 * @param frames - the frames, in order
 * @param byteLength - their total length
 */
export function joinFrames(frames: readonly Uint8Array[], byteLength: number): Uint8Array {
  return Buffer.concat(frames, byteLength);
}
