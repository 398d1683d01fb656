import { type EventPosition, parseEventId } from '@app/sse-protocol';
import { CLOSED, type Connection, isCovered, isEntitled, LIVE } from './connection';
import { endConnection } from './connection-end';
import { writeReplayFrame } from './delivery';
import type { EmitterCore } from './emitter-core';
import { SseServerError } from './errors';
import { helloFrame, resetFrame } from './frames';
import type { ReplayRead, StoredEvent } from './replay-store';
import { record, timeStore } from './telemetry';

// The second half of opening a stream, once serve.ts admitted and registered it: what the client
// missed (or the reset that says it cannot be told), then the live events held meanwhile, then
// the switch to live delivery, with no gap and no duplicate between the three.

// The last head a replay read answered, parsed. Connections that open while nothing is published
// read the same head, and each keeps its position (`covered`) until the next live event: sharing
// one parsed position saves every idle connection an object and a copy of the head (~100 bytes).
const lastHeads = new WeakMap<EmitterCore, { head: string; position: EventPosition }>();

function parseHead(core: EmitterCore, head: string): EventPosition | undefined {
  const last = lastHeads.get(core);
  if (last !== undefined && last.head === head) return last.position;
  const position = parseEventId(head);
  if (position !== undefined) lastHeads.set(core, { head, position });
  return position;
}

/**
 * Writes `sse:hello`, then the missed events (or `sse:reset`), then the live events published
 * meanwhile, and switches the connection to live.
 *
 * @param from - the position the stream starts after
 * @param resumed - whether the client asked for it (`Last-Event-ID`): a resume, for the metrics
 */
export async function replay(
  core: EmitterCore,
  connection: Connection,
  from: string,
  resumed: boolean,
): Promise<void> {
  let read: ReplayRead;
  try {
    read = await timeStore(core.telemetry, 'read', () => core.store.readAfter(from));
  } catch (error) {
    // A read nobody waits for any more (the client left, close() ended the stream and closed the
    // store) failed harmlessly.
    if (connection.state === CLOSED) return;
    core.options.onError(
      new SseServerError('store-failed', `the replay store could not read after ${from}`, { cause: error }),
    );
    // Ending the stream makes the client reconnect with the same Last-Event-ID and try again.
    endConnection(core, connection, 'store-failed');
    return;
  }
  if (connection.state === CLOSED) return;
  const covered = parseHead(core, read.head);
  if (covered === undefined) {
    throw new SseServerError(
      'store-failed',
      `the replay store answered a head that is not an event ID: ${JSON.stringify(read.head)}`,
    );
  }
  const { greeting, counters, telemetry } = core;
  let step: true | Promise<boolean>;

  if (read.ok) {
    // A resume whose read succeeded is one replay, counted once however it ends (completed, or the
    // client left while it waited for drain), with the events it really wrote: `replaySize.sum`
    // and `delivered.replay` describe the same events.
    let written = 0;
    try {
      step = writeReplayFrame(core, connection, helloFrame(from, connection.id, greeting));
      if (step !== true && !(await step)) return;
      for (const event of read.events) {
        if (!isEntitled(connection, event.channels)) continue;
        step = writeReplayFrame(core, connection, event.frame);
        // Written: counted even if the client leaves while the response drains it.
        if (resumed) {
          counters.replayed += 1;
          written += 1;
        } else {
          // A new stream (no Last-Event-ID) reads from the head it was given: events published
          // since are live to its client, and it is no replay (`replays` counts resumes).
          counters.sent += 1;
        }
        if (step !== true && !(await step)) return;
      }
    } finally {
      if (resumed) {
        telemetry.replays += 1;
        record(telemetry.replaySize, written);
      }
    }
  } else {
    // Never a partial replay that looks complete: the client is told plainly, and goes on from the
    // head. The hello has no ID and the reset carries the head's: the position moves only with a
    // reset that arrived whole (see resetFrame).
    step = writeReplayFrame(core, connection, helloFrame(undefined, connection.id, greeting));
    if (step !== true && !(await step)) return;
    counters.resets += 1;
    telemetry.resets[read.reason] += 1;
    step = writeReplayFrame(core, connection, resetFrame(read.reason, from, read.head));
    if (step !== true && !(await step)) return;
  }

  // Live events published since the connection was registered, minus those the read covered.
  // `pending` may grow while this loop waits for drain; the switch to LIVE happens with no await
  // after the last check, so no event falls between the two.
  const pending = connection.pending as StoredEvent[];
  for (let index = 0; index < pending.length; index++) {
    const event = pending[index] as StoredEvent;
    if (isCovered(covered, event)) continue;
    step = writeReplayFrame(core, connection, event.frame);
    counters.sent += 1;
    if (step !== true && !(await step)) return;
  }
  connection.pending = null;
  connection.pendingBytes = 0;
  // Events the read returned may still be fanned out (their append settles later): LIVE skips them.
  connection.covered = covered;
  connection.state = LIVE;
}
