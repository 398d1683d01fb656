import type { EventPosition } from '@app/sse-protocol';
import type { DisconnectHook } from './connection-info';
import type { EventTargets, StoredEvent } from './replay-store';
import type { StreamTransport } from './transport';

/** The connection is writing its replay; live events are held in `pending` meanwhile. */
export const REPLAYING = 0;
/** The connection receives live events as they are published. */
export const LIVE = 1;
/** The connection is gone: nothing is written to it any more. */
export const CLOSED = 2;

/** `Connection.runStart` of a connection with nothing in the current write batch. */
export const NO_RUN = -1;
/** `Connection.runStart` of a connection whose batched frames are not contiguous: they are in `queue`. */
export const SCATTERED_RUN = -2;

/** Where a connection is in its life. */
export type ConnectionState = typeof REPLAYING | typeof LIVE | typeof CLOSED;

/**
 * One open stream. A plain record with a fixed shape, worked on by the functions of `delivery.ts`:
 * thousands of them stay alive at once, so it carries no closures or per-connection timers.
 */
export interface Connection {
  /** The connection's ID; it is in the channel `client:<id>`. */
  readonly id: string;
  /** The user `authorize` returned; it is in the channel `user:<userId>`. */
  readonly userId: string | undefined;
  /** Every channel the connection is in (a handful: an array is smaller and faster than a Set). */
  readonly channels: string[];
  /** The response it writes to. */
  readonly transport: StreamTransport;
  state: ConnectionState;
  /** Live events published while the replay is written (REPLAYING only). */
  pending: StoredEvent[] | null;
  /** Bytes of the `pending` frames. */
  pendingBytes: number;
  /**
   * Frames waiting for the response to drain (LIVE only); `null` while the response accepts writes.
   * Also the frames of this turn's batch when they are not one contiguous run (`runStart` is
   * `SCATTERED_RUN` then).
   */
  queue: Uint8Array[] | null;
  /**
   * Bytes of the `queue` frames, or of the batched run. Counted in `bytes` once handed to the
   * response, never if the connection ends without writing them.
   */
  queuedBytes: number;
  /**
   * Events among those frames (heartbeats are not events). Counted in `sent` once handed to the
   * response, like `queuedBytes`.
   */
  queuedEvents: number;
  /**
   * Where this connection's frames of the current write batch start in the batch's frame list
   * (`write-batch.ts`): `NO_RUN` when it has none, `SCATTERED_RUN` when they are in `queue`.
   */
  runStart: number;
  /** Where its run ends (exclusive) in the batch's frame list, while `runStart` is an index. */
  runEnd: number;
  /** Resumes the replay writer when the response drains or the connection closes. */
  waiter: (() => void) | null;
  /**
   * The newest position the replay read covered, until the first live event past it: an async
   * store may settle an append after a read already returned that event, and the replay wrote it.
   */
  covered: EventPosition | null;
  /** The number of the last multi-channel fan-out that reached it: one event sent to two of its channels goes once. */
  mark: number;
  /** The endpoint's `onDisconnect` and the request to report to it; `null` without one, or once reported. */
  disconnectHook: DisconnectHook | null;
  /**
   * Its turn in the heartbeat: the tick of slice `heartbeatSlot % slices` writes its heartbeat
   * (`heartbeat.ts`). The registry numbers connections as they join, so the slices stay even.
   */
  heartbeatSlot: number;
}

/**
 * A connection in the REPLAYING state, not yet in any registry.
 *
 * @param id - the connection's ID
 * @param userId - the authorised user, if any
 * @param channels - every channel it joins
 * @param transport - its response
 */
export function createConnection(
  id: string,
  userId: string | undefined,
  channels: string[],
  transport: StreamTransport,
): Connection {
  return {
    id,
    userId,
    channels,
    transport,
    state: REPLAYING,
    pending: [],
    pendingBytes: 0,
    queue: null,
    queuedBytes: 0,
    queuedEvents: 0,
    runStart: NO_RUN,
    runEnd: 0,
    waiter: null,
    covered: null,
    mark: 0,
    disconnectHook: null,
    heartbeatSlot: 0,
  };
}

/**
 * Whether `event` is at or before `position`: same epoch, sequence number not past it. The epoch
 * is compared too, because a store that lost its history numbers from 1 again under a new one.
 *
 * @param position - what a replay read covered
 * @param event - a live event
 */
export function isCovered(position: EventPosition, event: StoredEvent): boolean {
  if (event.seq > position.seq) return false;
  const { id } = event;
  const { epoch } = position;
  // `<epoch>-<seq>`: the epoch never contains '-' (char code 45).
  return id.length > epoch.length && id.charCodeAt(epoch.length) === 45 && id.startsWith(epoch);
}

/**
 * Whether the connection may receive an event sent to `targets`: a broadcast, or a channel it is
 * in. The replay checks every stored event with it, so a connection never gets another user's
 * events back.
 *
 * @param connection - the receiver
 * @param targets - the event's channels, `null` for a broadcast
 */
export function isEntitled(connection: Connection, targets: EventTargets): boolean {
  if (targets === null) return true;
  for (const channel of targets) if (connection.channels.includes(channel)) return true;
  return false;
}
