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
  /** How many components hold the client now, counting those of every hook set of the client. */
  readonly holders: number;
}

/** The count of one client, shared by every hook set made for it. */
interface ClientCount {
  holders: number;
  /** Holders from hook sets that manage the connection. */
  managed: number;
  /** The longest `idleCloseMs` of the managing holders since the count left 0; `null`: none. */
  closeAfterMs: number | null;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * One count per client, however many times `createSseHooks` is called for it (the app's hooks and
 * a second module's, say): separate counts would let one set close the stream under the mounted
 * components of another.
 */
const counts = new WeakMap<object, ClientCount>();

function countOf(client: object): ClientCount {
  let count = counts.get(client);
  if (count === undefined) {
    count = { holders: 0, managed: 0, closeAfterMs: null, idleTimer: undefined };
    counts.set(client, count);
  }
  return count;
}

/**
 * Creates the lease of one hook set over a client. Every hook set of the same client shares one
 * count of holders: the stream is closed only when no component of any of them is mounted.
 *
 * Why a grace period rather than closing at once: StrictMode runs every effect, its cleanup and
 * the effect again in one commit, and a route change unmounts one page before the next one mounts.
 * Closing on the first release would cut the stream and open a second one each time; waiting
 * `idleCloseMs` lets the next holder take the same stream over, so nothing is reconnected and no
 * event falls into a gap.
 *
 * A set with `manage` connects when the first of the managing holders arrives and the client is
 * `closed`. When the count reaches 0, the client is closed after the longest `idleCloseMs` of the
 * managing sets that held it since the count left 0; if only unmanaged sets held it, nothing is
 * closed. The holders of an unmanaged set still count, so no set closes the stream under them.
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
  const count = countOf(client);

  function release(): void {
    count.holders -= 1;
    if (manage) count.managed -= 1;
    const closeAfterMs = count.closeAfterMs;
    if (count.holders > 0 || closeAfterMs === null) return;
    count.idleTimer = setTimeout(() => {
      count.idleTimer = undefined;
      count.closeAfterMs = null;
      if (count.holders === 0) client.close();
    }, closeAfterMs);
  }

  return {
    acquire() {
      count.holders += 1;
      if (count.idleTimer !== undefined) {
        clearTimeout(count.idleTimer);
        count.idleTimer = undefined;
      }
      // The count leaves 0: the grace period is that of the managing sets that hold it from now.
      if (count.holders === 1) count.closeAfterMs = null;
      if (manage) {
        count.managed += 1;
        count.closeAfterMs = Math.max(count.closeAfterMs ?? 0, idleCloseMs);
        // Only the first managing holder opens the stream: a client that a fatal error closed
        // (401, 204) while components hold it is not hammered again by every later mount.
        if (count.managed === 1 && client.state === 'closed') client.connect();
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
    get holders() {
      return count.holders;
    },
  };
}
