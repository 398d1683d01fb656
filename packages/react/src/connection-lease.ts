import type { SseClient } from '@app/sse-client';
import type { EventCatalog } from '@app/sse-protocol';

/**
 * Reference counting of the components that need the stream: the first one connects the client,
 * the last one to unmount closes it after a grace period.
 */
export interface ConnectionLease {
  /**
   * One more component needs the stream.
   * @returns the matching release (calling it more than once does nothing)
   */
  acquire(): () => void;
  /** How many components hold the lease now. */
  readonly holders: number;
}

/**
 * Creates the lease of one client.
 *
 * Why a grace period rather than closing at once: StrictMode runs every effect, its cleanup and
 * the effect again in one commit, and a route change unmounts one page before the next one mounts.
 * Closing on the first release would cut the stream and open a second one each time; waiting
 * `idleCloseMs` lets the next holder take the same stream over, so nothing is reconnected and no
 * event falls into a gap.
 *
 * @param client - the client whose connection is shared
 * @param manage - `false` leaves `connect()` and `close()` to the application
 * @param idleCloseMs - how long the stream stays open after the last holder left
 */
export function createConnectionLease<C extends EventCatalog>(
  client: SseClient<C>,
  manage: boolean,
  idleCloseMs: number,
): ConnectionLease {
  let holders = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function release(): void {
    holders -= 1;
    if (holders > 0 || !manage) return;
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (holders === 0) client.close();
    }, idleCloseMs);
  }

  return {
    acquire() {
      holders += 1;
      if (idleTimer !== undefined) {
        clearTimeout(idleTimer);
        idleTimer = undefined;
      }
      // Only the first holder opens the stream: a client that a fatal error closed (401, 204)
      // while components hold it is not hammered again by every later mount.
      if (manage && holders === 1 && client.state === 'closed') client.connect();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
    get holders() {
      return holders;
    },
  };
}
