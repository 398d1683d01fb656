import type { StoredEvent } from './replay-store';

/**
 * Keeps the fan-out of events in the order they were published, whatever order the store settles
 * its appends in. A store assigns IDs in the order `append` is called, but a remote one may answer
 * out of that order (several connections, retries); were events fanned out as their appends
 * settle, a client could get ID 8 before ID 7, and if it dropped in between it would resume after 8
 * and never see 7: a silent gap.
 */
export interface PublishOrder {
  /** Takes the next place in line. Call it right before `store.append`, with nothing awaited between. */
  enter(): number;
  /**
   * The append of place `ticket` settled: with its event, fanned out once every earlier place
   * settled, or with `undefined` when it failed (the place is given up and later ones go on).
   *
   * @returns how many connections took the event: a number when it went out at once (the usual
   * case: no promise, nothing allocated), else a promise of it
   */
  settle(ticket: number, event: StoredEvent | undefined): number | Promise<number>;
}

interface Waiting {
  readonly event: StoredEvent | undefined;
  resolve(delivered: number): void;
  reject(error: unknown): void;
}

/**
 * A {@link PublishOrder} over a fan-out function.
 *
 * @param fanOut - sends an event to its connections; returns how many took it
 */
export function createPublishOrder(fanOut: (event: StoredEvent) => number): PublishOrder {
  let issued = 0;
  let next = 0;
  // Settled appends waiting for an earlier one; empty unless the store answered out of order.
  const waiting = new Map<number, Waiting>();

  function run(ticket: number, event: StoredEvent | undefined): number {
    try {
      return event === undefined ? 0 : fanOut(event);
    } finally {
      // Whatever happens to this event, the line moves on.
      next = ticket + 1;
    }
  }

  function release(): void {
    for (let turn = waiting.get(next); turn !== undefined; turn = waiting.get(next)) {
      waiting.delete(next);
      try {
        turn.resolve(run(next, turn.event));
      } catch (error) {
        turn.reject(error);
      }
    }
  }

  return {
    enter: () => issued++,
    settle(ticket, event) {
      if (ticket !== next) {
        return new Promise<number>((resolve, reject) => waiting.set(ticket, { event, resolve, reject }));
      }
      try {
        return run(ticket, event);
      } finally {
        if (waiting.size > 0) release();
      }
    },
  };
}
