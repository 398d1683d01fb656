import { type Connection, NO_RUN } from './connection';
import type { EmitterCore } from './emitter-core';
import { joinFrames } from './frames';

/**
 * The live frames an emitter fanned out during one iteration of the event loop's I/O, written once
 * it is handled (see `later`): each connection then gets its frames as one write, however many
 * events were published back to back (a burst of awaited `broadcast` calls, or the replies of a
 * shared store that arrive together).
 *
 * Frames are listed once per event, not once per connection: a connection only records where its
 * run starts and ends in {@link WriteBatch.frames}, and connections with the same run (every
 * connection of a broadcast) share one joined chunk (see {@link sharedRun}).
 */
export interface WriteBatch {
  /** Every frame fanned out in this turn to at least one connection, in fan-out order. */
  frames: Uint8Array[];
  /** Connections with frames in this batch, in the order they got their first one. */
  dirty: Connection[];
  /** The frame of the fan-out in progress, listed lazily when a connection takes it. */
  frame: Uint8Array | null;
  /** Its index in `frames`, `-1` until a connection took it. */
  index: number;
  /** Writes the batch out; scheduled by the first frame of a turn (made once per emitter). */
  readonly flush: () => void;
}

const batches = new WeakMap<EmitterCore, WriteBatch>();

/**
 * Runs `flush` once the I/O of the current loop iteration is handled. On Node (and Bun),
 * `setImmediate` runs right after the poll phase: every publish that became ready in that phase
 * lands in one batch, even when it arrived through several I/O callbacks (a shared store's append
 * replies and its live feed come on two sockets), and each connection gets one write for all of
 * it. `process.nextTick` would flush after each callback: with a Redis store, a burst's first event
 * often arrives through the feed a callback before the others, which cost a second write per
 * connection for about four bursts in ten (measured: 1.4 writes per burst per connection against
 * 1.0; `apps/bench` scale-out). It adds no wait: immediates run before the loop sleeps or runs
 * timers. Elsewhere a microtask is the nearest.
 */
const later: (flush: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (flush) => setImmediate(flush)
    : (flush) => queueMicrotask(flush);

/**
 * The emitter's batch for this turn.
 *
 * @param flush - writes a batch out (given the same function on every call)
 * @returns its batch (one object per emitter, reused from turn to turn)
 */
export function batchOf(
  core: EmitterCore,
  flush: (core: EmitterCore, batch: WriteBatch) => void,
): WriteBatch {
  let batch = batches.get(core);
  if (batch === undefined) {
    const made: WriteBatch = {
      frames: [],
      dirty: [],
      frame: null,
      index: -1,
      flush: () => flush(core, made),
    };
    batches.set(core, made);
    batch = made;
  }
  return batch;
}

/**
 * Starts the fan-out of `frame`: it is listed in the batch once the first connection takes it.
 *
 * @param batch - the emitter's batch
 * @param frame - the encoded event
 */
export function beginFrame(batch: WriteBatch, frame: Uint8Array): void {
  batch.frame = frame;
  batch.index = -1;
}

/**
 * The index of the current fan-out's frame in the batch, listing it (and scheduling the flush, for
 * the first frame of a turn) on first use.
 *
 * @param batch - the emitter's batch
 */
export function currentFrameIndex(batch: WriteBatch): number {
  if (batch.index !== -1) return batch.index;
  if (batch.frames.length === 0) later(batch.flush);
  batch.index = batch.frames.push(batch.frame as Uint8Array) - 1;
  return batch.index;
}

/**
 * Takes the batch's frames and connections for writing, leaving it empty for the next turn.
 *
 * @param batch - the emitter's batch
 * @returns the frames and the connections that have a run in them
 */
export function takeBatch(batch: WriteBatch): { frames: Uint8Array[]; dirty: Connection[] } {
  const { frames, dirty } = batch;
  batch.frames = [];
  batch.dirty = [];
  batch.frame = null;
  batch.index = -1;
  return { frames, dirty };
}

/**
 * The bytes of `frames[start..end)` as one chunk, joined once per distinct run and shared by every
 * connection that has that run: a broadcast burst copies its frames once, not once per connection.
 *
 * @param joined - the chunks joined so far in this flush, by run (made by the caller, one per flush)
 * @param frames - the taken frames
 * @param start - first frame of the run
 * @param end - end of the run (exclusive)
 * @param byteLength - the run's total length
 */
export function sharedRun(
  joined: Map<number, Uint8Array>,
  frames: readonly Uint8Array[],
  start: number,
  end: number,
  byteLength: number,
): Uint8Array {
  if (end - start === 1) return frames[start] as Uint8Array;
  const key = start * (frames.length + 1) + end;
  let chunk = joined.get(key);
  if (chunk === undefined) {
    chunk = joinFrames(frames.slice(start, end), byteLength);
    joined.set(key, chunk);
  }
  return chunk;
}

/**
 * The frames a connection holds and has not written: its run in the turn's batch, or its queue.
 * Clears both.
 */
export function takeUnwritten(core: EmitterCore, connection: Connection): Uint8Array[] {
  const start = connection.runStart;
  connection.runStart = NO_RUN;
  if (start >= 0) return (batches.get(core) as WriteBatch).frames.slice(start, connection.runEnd);
  const queue = connection.queue;
  connection.queue = null;
  return queue ?? [];
}
