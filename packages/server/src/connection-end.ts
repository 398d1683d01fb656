import { CLOSED, type Connection, NO_RUN } from './connection';
import { reportDisconnect } from './connection-hooks';
import type { DisconnectReason } from './connection-info';
import type { EmitterCore } from './emitter-core';
import { joinFrames } from './frames';
import { takeUnwritten } from './write-batch';

// How a stream ends, whoever ends it: the emitter (close, refusal after the replay), the
// fan-out (a reader too slow, a response that throws) or the client (the socket closed). Each path
// forgets the connection once and reports it to `onDisconnect` once.

/**
 * Forgets a connection: out of every map, its buffers released, a waiting replay writer released.
 * Frames it still held were never handed to the response: they are dropped uncounted (`bytes` and
 * `sent` count frames when they are written). The response itself is ended or destroyed by the
 * caller, who then reports the end to `onDisconnect` (so the hook runs once the stream really is
 * over). Safe to call twice.
 *
 * @param connection - the connection
 * @returns whether it was open until now (`false` on a second call)
 */
export function detach(core: EmitterCore, connection: Connection): boolean {
  if (connection.state === CLOSED) return false;
  connection.state = CLOSED;
  connection.pending = null;
  connection.pendingBytes = 0;
  connection.queue = null;
  connection.queuedBytes = 0;
  connection.queuedEvents = 0;
  connection.runStart = NO_RUN;
  core.registry.remove(connection);
  core.heartbeat.update(core.registry.connections.size);
  const waiter = connection.waiter;
  connection.waiter = null;
  waiter?.();
  return true;
}

/**
 * Drops a connection whose unsent bytes passed `maxBufferedBytes`; its client reconnects and
 * resumes from the replay store.
 *
 * @param connection - the slow connection
 */
export function dropSlow(core: EmitterCore, connection: Connection): void {
  if (!detach(core, connection)) return;
  core.counters.slowDisconnects += 1;
  connection.transport.destroy();
  reportDisconnect(core, connection, 'slow-consumer');
}

/**
 * Drops a connection whose response threw under a write: its stream is lost, never the others'.
 *
 * @param connection - the broken connection
 */
export function dropBroken(core: EmitterCore, connection: Connection): void {
  if (!detach(core, connection)) return;
  connection.transport.destroy();
  reportDisconnect(core, connection, 'client-gone');
}

/**
 * Ends a connection after the bytes already written (and, when given, a last frame).
 *
 * @param connection - the connection
 * @param reason - why, as `onDisconnect` is told
 * @param last - a final frame, for example `retry:` on a graceful close
 */
export function endConnection(
  core: EmitterCore,
  connection: Connection,
  reason: DisconnectReason,
  last?: Uint8Array,
): void {
  if (connection.state === CLOSED) return;
  const chunks = takeUnwritten(core, connection);
  if (last !== undefined) chunks.push(last);
  const events = connection.queuedEvents;
  detach(core, connection);
  if (chunks.length > 0) {
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.byteLength;
    connection.transport.write(chunks.length === 1 ? (chunks[0] as Uint8Array) : joinFrames(chunks, bytes));
    // Counted as handed, like every write: the queued frames were not counted when queued.
    core.counters.bytes += bytes;
    core.counters.sent += events;
    if (chunks[0] === core.ping) core.telemetry.heartbeats += 1;
  }
  connection.transport.end(reason === 'closed');
  reportDisconnect(core, connection, reason);
}
