import type { EventTargets, StoredEvent } from '@app/sse-server';

/** One stream entry as Redis returns it: `[id, [field, value, ...]]`. */
type RawEntry = [unknown, unknown[]];

const encoder = new TextEncoder();

const OWN_ENTRY_ID = /^0-(\d{1,16})$/;

/**
 * The sequence number of an entry ID of this store, `0-<seq>`; `NaN` for any other ID: one that
 * another program gave a time part (`XADD <key> * ...`), or a sequence number past
 * `Number.MAX_SAFE_INTEGER`, which no event ID could tell apart from its neighbours.
 *
 * @param entryId - the Redis entry ID
 */
export function seqOf(entryId: unknown): number {
  const match = OWN_ENTRY_ID.exec(String(entryId));
  const seq = match === null ? Number.NaN : Number(match[1]);
  return Number.isSafeInteger(seq) ? seq : Number.NaN;
}

/**
 * Whether an entry's body is one whole event as the publisher encoded it: lines ended by LF, no
 * CR, and the blank line that ends the event only at its end. Anything else, written by another
 * program that knows the epoch, would run into the next event's `id:` line on every stream.
 */
function isOneEvent(body: string): boolean {
  return body.indexOf('\n\n') === body.length - 2 && body.indexOf('\r') === -1;
}

/**
 * Reads one entry into the event the emitter fans out and replays: the frame is the `id:` line
 * (the store's epoch and the entry's sequence number) followed by the body the publisher encoded
 * once, which is exactly what the publisher's `encode(id)` returns.
 *
 * @param entry - `[id, [field, value, ...]]`
 * @returns the event and the epoch it was written under (`e`), or `undefined` for an entry this
 * store did not write (another program writing to the same key): it has no epoch, body or
 * channel list of ours
 */
export function toStoredEvent(entry: unknown): { event: StoredEvent; epoch: string } | undefined {
  const [entryId, fields] = entry as RawEntry;
  if (!Array.isArray(fields)) return undefined;
  let epoch: string | undefined;
  let channels: string | undefined;
  let body: string | undefined;
  for (let index = 0; index < fields.length; index += 2) {
    const value = String(fields[index + 1]);
    const field = String(fields[index]);
    if (field === 'e') epoch = value;
    else if (field === 'c') channels = value;
    else if (field === 'b') body = value;
  }
  if (!epoch || channels === undefined || body === undefined || !isOneEvent(body)) return undefined;
  const targets = channels === '' ? null : channelList(channels);
  if (targets === undefined) return undefined;
  const seq = seqOf(entryId);
  if (Number.isNaN(seq)) return undefined;
  const id = `${epoch}-${seq}`;
  return { event: { id, seq, channels: targets, frame: encoder.encode(`id: ${id}\n${body}`) }, epoch };
}

/** The channels of an entry (a JSON array of strings), or `undefined` when they are not that. */
function channelList(text: string): EventTargets | undefined {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) && list.every((item) => typeof item === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entries of an `XREAD` reply for one stream, whatever the client's protocol: RESP2 answers
 * `[[key, entries]]`, RESP3 a map (a `Map` or a plain object, by the client's type mapping); `null`
 * when the block timed out.
 *
 * @param reply - the raw reply
 */
export function xreadEntries(reply: unknown): unknown[] {
  if (reply === null || reply === undefined) return [];
  if (Array.isArray(reply)) return ((reply[0] as unknown[] | undefined)?.[1] as unknown[] | undefined) ?? [];
  if (reply instanceof Map) return ([...reply.values()][0] as unknown[] | undefined) ?? [];
  return (Object.values(reply as object)[0] as unknown[] | undefined) ?? [];
}
