import { endConnection } from './connection-end';
import { fanOut } from './delivery';
import type { EmitterCore } from './emitter-core';
import type { ReplayStore } from './replay-store';

/**
 * The emitter's side of a shared store's live feed (see `ReplayStore.subscribe`): every event the
 * feed delivers is fanned out to this process's connections, in the feed's order, and a local
 * publish learns how many connections its own event reached once the feed brings it back.
 */
export interface LiveFeed {
  /**
   * Marks an append of this process in flight, until the returned function is called: meanwhile
   * the feed remembers how many connections each event reached, in case it brings this append's
   * event back before the append itself has resolved.
   */
  begin(): () => void;
  /**
   * How many connections the event `id` (appended by this process) reached on this process,
   * once the feed delivered it (0 if the feed lost continuity first).
   *
   * @param id - the ID the store assigned
   */
  deliveries(id: string): number | Promise<number>;
  /** Stops the feed. */
  stop(): void;
}

/**
 * Subscribes the emitter to the store's live feed.
 *
 * @param subscribe - the store's `subscribe`
 */
export function connectLiveFeed(
  core: EmitterCore,
  subscribe: NonNullable<ReplayStore['subscribe']>,
): LiveFeed {
  let inFlight = 0;
  // Deliveries of the events fanned out while an append of this process was in flight. Empty
  // otherwise: an instance that only receives never holds anything here.
  const delivered = new Map<string, number>();
  const waiting = new Map<string, (deliveries: number) => void>();

  const stop = subscribe({
    onEvent(event) {
      const deliveries = core.closed ? 0 : fanOut(core, event);
      const waiter = waiting.get(event.id);
      if (waiter !== undefined) {
        waiting.delete(event.id);
        waiter(deliveries);
      } else if (inFlight > 0) delivered.set(event.id, deliveries);
    },
    onReset() {
      // Events may be missing on this process's streams: each ends, and its client resumes (a
      // reset, if the history the client needs is gone). Publishes waiting for the feed end too.
      for (const connection of [...core.registry.connections.values()])
        endConnection(core, connection, 'store-failed');
      releaseWaiting();
    },
  });

  /** Resolves every publish still waiting for the feed: its event reached no connection here. */
  function releaseWaiting(): void {
    for (const waiter of waiting.values()) waiter(0);
    waiting.clear();
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
    deliveries(id) {
      const known = delivered.get(id);
      if (known !== undefined) {
        delivered.delete(id);
        return known;
      }
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    stop() {
      stop();
      releaseWaiting();
    },
  };
}
