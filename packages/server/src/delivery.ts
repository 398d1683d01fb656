import { CLOSED, type Connection, isCovered, LIVE, NO_RUN, REPLAYING, SCATTERED_RUN } from './connection';
import { dropBroken, dropSlow } from './connection-end';
import type { EmitterCore } from './emitter-core';
import { joinFrames } from './frames';
import type { StoredEvent } from './replay-store';
import { batchOf, beginFrame, currentFrameIndex, sharedRun, takeBatch, type WriteBatch } from './write-batch';

/**
 * Hands one live frame to a connection. This is the fan-out hot path, run once per event per
 * connection, so it allocates nothing: the connection only extends its run in the turn's write
 * batch (two numbers), and {@link flushBatch} writes every connection's run at the end of the turn,
 * in one write each.
 *
 * While a response has not drained, its frames wait in the connection's queue instead of piling up
 * in the response; on `drain` they go out joined in one write (see {@link drained}). When the
 * queued plus buffered bytes pass `maxBufferedBytes` the connection is dropped: its client resumes
 * from the replay store, and a reader that never reads cannot grow memory past that bound.
 *
 * The frame's bytes (and the event, counted by the caller in `queuedEvents`) reach the counters
 * only when they are handed to the response (flush, drain or end): a connection dropped or gone
 * first discards them uncounted.
 *
 * @param batch - the emitter's write batch, with the frame being fanned out begun
 * @param connection - a LIVE connection
 * @param frame - the encoded bytes (the batch's current frame)
 */
function writeLive(core: EmitterCore, batch: WriteBatch, connection: Connection, frame: Uint8Array): void {
  const start = connection.runStart;
  if (start === NO_RUN) {
    const queue = connection.queue;
    if (queue !== null) {
      // Waiting for `drain`: the frame waits with the others.
      queue.push(frame);
    } else {
      const index = currentFrameIndex(batch);
      connection.runStart = index;
      connection.runEnd = index + 1;
      batch.dirty.push(connection);
    }
  } else if (start >= 0) {
    const index = currentFrameIndex(batch);
    if (connection.runEnd === index) connection.runEnd = index + 1;
    else {
      // It missed frames in between (channels): its run is no longer shared, it gets its own list.
      const own = batch.frames.slice(start, connection.runEnd);
      own.push(frame);
      connection.queue = own;
      connection.runStart = SCATTERED_RUN;
    }
  } else (connection.queue as Uint8Array[]).push(frame);
  connection.queuedBytes += frame.byteLength;
  if (connection.queuedBytes + connection.transport.bufferedBytes() > core.options.maxBufferedBytes) {
    dropSlow(core, connection);
  }
}

/**
 * Writes the turn's batch: every connection's frames of the turn in one write. Connections with
 * the same run (all of them, for broadcasts) share one joined chunk, so a burst of k events to n
 * connections costs k frames joined once and n writes, instead of k x n writes.
 *
 * A write the response refuses puts the connection in the drain-waiting state; once the response
 * holds more than `maxBufferedBytes` the connection is dropped. Drops are done after the loop: they
 * run `onDisconnect`, and no application code may run while runs still point into `frames`.
 *
 * @param batch - its batch
 */
function flushBatch(core: EmitterCore, batch: WriteBatch): void {
  const { frames, dirty } = takeBatch(batch);
  const joined = new Map<number, Uint8Array>();
  const { counters } = core;
  const max = core.options.maxBufferedBytes;
  const slow: Connection[] = [];
  const broken: Connection[] = [];
  for (let i = 0; i < dirty.length; i++) {
    const connection = dirty[i] as Connection;
    const start = connection.runStart;
    connection.runStart = NO_RUN;
    // Ended or dropped during the turn: endConnection already wrote what it had.
    if (connection.state !== LIVE || start === NO_RUN) continue;
    const bytes = connection.queuedBytes;
    connection.queuedBytes = 0;
    let chunk: Uint8Array;
    // A heartbeat only ever opens a run (it is queued to connections with nothing queued).
    let heartbeat: boolean;
    if (start === SCATTERED_RUN) {
      const own = connection.queue as Uint8Array[];
      connection.queue = null;
      heartbeat = own[0] === core.ping;
      chunk = own.length === 1 ? (own[0] as Uint8Array) : joinFrames(own, bytes);
    } else {
      heartbeat = frames[start] === core.ping;
      chunk = sharedRun(joined, frames, start, connection.runEnd, bytes);
    }
    const events = connection.queuedEvents;
    connection.queuedEvents = 0;
    try {
      const accepted = connection.transport.write(chunk);
      counters.bytes += bytes;
      counters.sent += events;
      if (heartbeat) core.telemetry.heartbeats += 1;
      if (!accepted) {
        connection.queue = [];
        if (connection.transport.bufferedBytes() > max) slow.push(connection);
      }
    } catch (error) {
      // A response that fails under the write loses its stream, never the other connections'.
      core.options.onError(error);
      broken.push(connection);
    }
  }
  for (const connection of slow) dropSlow(core, connection);
  for (const connection of broken) dropBroken(core, connection);
}

/**
 * Hands an event to a connection: written when it is live, held when its replay is being
 * written (the replay writer sends it afterwards unless the replay already covered it).
 *
 * @returns 1 when the connection takes the event, 0 when it is closed or this delivery dropped it
 * as too slow (the event then never reaches its response)
 */
function deliver(core: EmitterCore, batch: WriteBatch, connection: Connection, event: StoredEvent): number {
  if (connection.state === LIVE) {
    if (connection.covered !== null && replayedAlready(connection, event)) return 1;
    // Counted in `sent` when its frame is handed to the response, not now (see writeLive).
    connection.queuedEvents += 1;
    writeLive(core, batch, connection, event.frame);
    return connection.state === LIVE ? 1 : 0;
  }
  if (connection.state === REPLAYING) {
    (connection.pending as StoredEvent[]).push(event);
    connection.pendingBytes += event.frame.byteLength;
    if (connection.pendingBytes + connection.transport.bufferedBytes() > core.options.maxBufferedBytes) {
      dropSlow(core, connection);
      return 0;
    }
    return 1;
  }
  return 0;
}

/**
 * Whether the replay of a connection that just went live already wrote `event`. The first live
 * event past the replay clears the check: events are fanned out in ID order, so none after it can
 * be covered, and the hot path goes back to a single null test.
 */
function replayedAlready(connection: Connection, event: StoredEvent): boolean {
  if (isCovered(connection.covered as NonNullable<Connection['covered']>, event)) return true;
  connection.covered = null;
  return false;
}

// Numbers multi-channel fan-outs, to mark the connections each one reached. Not the event's
// sequence number: a store that lost its history numbers from 1 again, and a stale mark would match.
let fanOuts = 0;

/** {@link deliver}, unless the fan-out numbered `mark` already reached the connection. */
function deliverOnce(
  core: EmitterCore,
  batch: WriteBatch,
  connection: Connection,
  event: StoredEvent,
  mark: number,
): number {
  if (connection.mark === mark) return 0;
  connection.mark = mark;
  return deliver(core, batch, connection, event);
}

/**
 * Sends a stored event to every connection entitled to it: one map lookup per target channel, then
 * its lone member or a loop over its Set.
 *
 * @param event - the event as the store returned it
 * @returns the number of connections that took it
 */
export function fanOut(core: EmitterCore, event: StoredEvent): number {
  const targets = event.channels;
  const batch = batchOf(core, flushBatch);
  beginFrame(batch, event.frame);
  let delivered = 0;
  if (targets === null) {
    for (const connection of core.registry.connections.values())
      delivered += deliver(core, batch, connection, event);
    return delivered;
  }
  if (targets.length === 1) {
    const members = core.registry.channels.get(targets[0] as string);
    if (members === undefined) return 0;
    if (!(members instanceof Set)) return deliver(core, batch, members, event);
    for (const connection of members) delivered += deliver(core, batch, connection, event);
    return delivered;
  }
  // Several channels: a connection in two of them still gets the event once (`mark`).
  fanOuts += 1;
  const mark = fanOuts;
  for (const channel of targets) {
    const members = core.registry.channels.get(channel);
    if (members === undefined) continue;
    if (members instanceof Set) {
      for (const connection of members) delivered += deliverOnce(core, batch, connection, event, mark);
    } else delivered += deliverOnce(core, batch, members, event, mark);
  }
  return delivered;
}

/**
 * The response of `connection` drained. A waiting replay writer goes on; otherwise the queued
 * frames go out joined in a single write: one chunk and one system call instead of one per event,
 * which is how a client that fell behind during a burst catches up without the server paying for
 * each small write again.
 *
 * @param connection - the connection whose response drained
 */
export function drained(core: EmitterCore, connection: Connection): void {
  const waiter = connection.waiter;
  if (waiter !== null) {
    connection.waiter = null;
    waiter();
    return;
  }
  const queue = connection.queue;
  // A connection with frames in the turn's batch gets them from the flush, in order.
  if (queue === null || connection.state !== LIVE || connection.runStart !== NO_RUN) return;
  connection.queue = null;
  const bytes = connection.queuedBytes;
  connection.queuedBytes = 0;
  const events = connection.queuedEvents;
  connection.queuedEvents = 0;
  if (queue.length === 0) return;
  const chunk = queue.length === 1 ? (queue[0] as Uint8Array) : joinFrames(queue, bytes);
  const accepted = connection.transport.write(chunk);
  core.counters.bytes += bytes;
  core.counters.sent += events;
  if (!accepted) connection.queue = [];
}

/**
 * Writes one frame of a replay (or of the live events held during it), waiting for `drain` when
 * the response is full: a replay never buffers more than the response's own high-water mark.
 *
 * @param connection - a REPLAYING connection
 * @param frame - the bytes
 * @returns `true` when the writer may go on at once, else a promise of whether the connection is
 * still open once the response drained
 */
export function writeReplayFrame(
  core: EmitterCore,
  connection: Connection,
  frame: Uint8Array,
): true | Promise<boolean> {
  const accepted = connection.transport.write(frame);
  core.counters.bytes += frame.byteLength;
  if (accepted) return true;
  return new Promise<boolean>((resolve) => {
    connection.waiter = () => resolve(connection.state !== CLOSED);
  });
}

/**
 * Writes the heartbeat comment to every live connection of one heartbeat slice that has nothing
 * queued (a connection with queued frames is not idle and needs no heartbeat).
 *
 * @param core - the emitter
 * @param slice - the slice this tick writes to
 * @param slices - how many slices the interval is cut into
 */
export function heartbeatTick(core: EmitterCore, slice: number, slices: number): void {
  const batch = batchOf(core, flushBatch);
  beginFrame(batch, core.ping);
  for (const connection of core.registry.connections.values()) {
    if (
      connection.heartbeatSlot % slices === slice &&
      connection.state === LIVE &&
      connection.queue === null &&
      connection.runStart === NO_RUN
    ) {
      // Counted in `heartbeats` once handed to the response (flushBatch, endConnection).
      writeLive(core, batch, connection, core.ping);
    }
  }
}
