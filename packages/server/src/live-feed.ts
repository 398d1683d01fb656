import { parseEventId } from '@app/sse-protocol';
import { endConnection } from './connection-end';
import { fanOut } from './delivery';
import type { EmitterCore } from './emitter-core';
import type { ReplayStore, StoredEvent } from './replay-store';

/**
 * The emitter's side of a shared store's live feed (see `ReplayStore.subscribe`): every event is
 * fanned out to this process's connections once, in the stream's order, and a local publish learns
 * how many connections its own event reached.
 *
 * The order is the store's sequence: within one epoch, seq grows by exactly one per event, whoever
 * appended it. So an event this process appended can be fanned out as soon as its append returns,
 * without waiting for the feed to bring it back, when its seq is the next one after the last event
 * fanned out: nothing can come between them. One appended further ahead (other instances' events
 * in between, not yet read) waits for the feed to bring those first. The feed then skips what was
 * already fanned out. This takes a round trip off every local publish and lets a burst of local
 * publishes go out in one write per connection, as with an in-process store.
 */
export interface LiveFeed {
  /**
   * Marks an append of this process in flight, until the returned function is called: meanwhile
   * the feed remembers how many connections each event reached, in case it brings this append's
   * event back before the append itself has resolved.
   */
  begin(): () => void;
  /**
   * Fans out an event this process appended once its turn in the stream's order has come, and
   * says how many connections it reached here (0 if the feed lost continuity first).
   *
   * @param event - the event as the store's `append` returned it
   */
  appended(event: StoredEvent): number | Promise<number>;
  /** Stops the feed. */
  stop(): void;
}

/** A local event waiting for the feed to bring the events before it. */
interface Held {
  readonly event: StoredEvent;
  readonly resolve: (deliveries: number) => void;
}

/**
 * How many feed deliveries are remembered for appends still in flight. An append's event comes
 * back through the feed within a round trip of its reply; far more events than this in between
 * only cost that publish its delivery count (reported as 0), never an event.
 */
const MAX_REMEMBERED = 4096;

const epochOf = (event: StoredEvent): string | undefined => parseEventId(event.id)?.epoch;

/** What a held event's publish is left with once it settled early (an outage of the feed). */
const noDeliveries = (): void => {};

/**
 * Subscribes the emitter to the store's live feed.
 *
 * @param subscribe - the store's `subscribe`
 */
export function connectLiveFeed(
  core: EmitterCore,
  subscribe: NonNullable<ReplayStore['subscribe']>,
): LiveFeed {
  // The position of the last event fanned out; unknown (`epoch` undefined) until the feed brought
  // one, and again after a reset.
  let epoch: string | undefined;
  let lastSeq = 0;
  let inFlight = 0;
  // Deliveries of the events the feed fanned out while an append of this process was in flight
  // (one of them may be that append's, read back before its reply arrived). Empty otherwise, and
  // bounded: a process that always has an append in flight keeps only the newest entries.
  const delivered = new Map<string, number>();
  // Local events appended ahead of the position, by seq; and those appended while the position
  // was unknown, by ID, for the feed to bring.
  const held = new Map<number, Held>();
  const waiting = new Map<string, (deliveries: number) => void>();

  function remember(id: string, deliveries: number): void {
    if (delivered.size >= MAX_REMEMBERED) delivered.delete(delivered.keys().next().value as string);
    delivered.set(id, deliveries);
  }

  /** Fans out the next event of the order, then any held local events that now follow. */
  function advance(event: StoredEvent): number {
    const deliveries = core.closed ? 0 : fanOut(core, event);
    lastSeq = event.seq;
    for (let next = held.get(lastSeq + 1); next !== undefined; next = held.get(lastSeq + 1)) {
      held.delete(next.event.seq);
      next.resolve(advance(next.event));
    }
    return deliveries;
  }

  const stop = subscribe({
    onEvent(event) {
      if (epoch === undefined || epochOf(event) !== epoch) {
        // The first event of the feed (or of a new epoch) sets the position.
        epoch = epochOf(event);
        lastSeq = event.seq - 1;
      }
      if (waiting.size > 0) releasePassed(event);
      if (event.seq <= lastSeq) return; // fanned out already, when its append returned
      const deliveries = advance(event);
      // The feed went past a seq it does not bring (an entry a store skips): a local event held
      // behind that seq is this one, or was passed over.
      if (held.size > 0) releaseHeldUpTo(event.seq, deliveries);
      const waiter = waiting.get(event.id);
      if (waiter !== undefined) {
        waiting.delete(event.id);
        waiter(deliveries);
      } else if (inFlight > 0) remember(event.id, deliveries);
    },
    onReset() {
      // Events may be missing on this process's streams: each ends, and its client resumes (a
      // reset, if the history the client needs is gone). Publishes waiting for the feed end too.
      for (const connection of [...core.registry.connections.values()])
        endConnection(core, connection, 'store-failed');
      epoch = undefined;
      releaseWaiting();
    },
    onOutage() {
      // The publishes learn of it now; their events keep their place for when the feed reads again.
      for (const [seq, { event, resolve }] of held) {
        held.set(seq, { event, resolve: noDeliveries });
        resolve(0);
      }
      for (const waiter of waiting.values()) waiter(0);
      waiting.clear();
    },
  });

  /**
   * Settles the held local events the feed has reached: the one with `seq` (its event was just
   * fanned out, reaching `deliveries` connections) and any before it, which the feed passed over.
   */
  function releaseHeldUpTo(seq: number, deliveries: number): void {
    for (const [heldSeq, { resolve }] of held) {
      if (heldSeq > seq) continue;
      held.delete(heldSeq);
      resolve(heldSeq === seq ? deliveries : 0);
    }
  }

  /**
   * Resolves the publishes waiting for events the feed has gone past and will not bring: of
   * another epoch (lost with its history), or skipped by a gap (trimmed before it was read).
   */
  function releasePassed(current: StoredEvent): void {
    const currentEpoch = epochOf(current);
    for (const [id, waiter] of waiting) {
      const position = parseEventId(id);
      if (position === undefined || position.epoch !== currentEpoch || position.seq < current.seq) {
        waiting.delete(id);
        waiter(0);
      }
    }
  }

  /** Resolves every publish still waiting for the feed: its event reached no connection here. */
  function releaseWaiting(): void {
    for (const waiter of waiting.values()) waiter(0);
    for (const { resolve } of held.values()) resolve(0);
    waiting.clear();
    held.clear();
    delivered.clear();
  }

  return {
    begin() {
      inFlight += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inFlight -= 1;
        if (inFlight === 0) delivered.clear();
      };
    },
    appended(event) {
      const known = delivered.get(event.id);
      if (known !== undefined) {
        delivered.delete(event.id);
        return known;
      }
      // Position unknown: the feed brings the event in order.
      if (epoch === undefined) return new Promise((resolve) => waiting.set(event.id, resolve));
      // Another life of the stream: the feed brings it after its reset (when this process's
      // connections have ended), or it was lost with the old history. Either way, none here.
      if (epochOf(event) !== epoch) return 0;
      if (event.seq === lastSeq + 1) return advance(event);
      if (event.seq <= lastSeq) return 0; // the feed lost it in a reset meanwhile
      return new Promise((resolve) => held.set(event.seq, { event, resolve }));
    },
    stop() {
      stop();
      releaseWaiting();
    },
  };
}
