import type { Connection } from './connection';
import { endConnection } from './connection-end';
import type { EmitterCore } from './emitter-core';
import { SseServerError } from './errors';
import { retryFrame } from './frames';

/** The shortest time between two steps of a drain: a few streams end per step, not one timer each. */
const MIN_STEP_MS = 10;
/** The longest: how soon a drain whose streams all left by themselves notices and resolves. */
const MAX_STEP_MS = 250;

/**
 * Ends `connections` progressively over `drainMs`, each after the bytes it already has and a last
 * `frame` (`retry:`): the k-th of n ends at k/n of the window, so the clients come back to the
 * next instance at an even rate (n / drain seconds per second) instead of all in the same second.
 * A stream that ended by itself meanwhile is skipped. Resolves when the last one ended: at the end
 * of the window, or as soon as every stream is gone (their clients left first).
 *
 * @param connections - the streams open when the drain began (no new one is admitted meanwhile)
 * @param drainMs - the window, in milliseconds
 * @param frame - the last bytes each stream gets
 */
export function drainConnections(
  core: EmitterCore,
  connections: readonly Connection[],
  drainMs: number,
  frame: Uint8Array,
): Promise<void> {
  const total = connections.length;
  const step = Math.min(MAX_STEP_MS, Math.max(MIN_STEP_MS, Math.floor(drainMs / Math.max(total, 1))));
  const started = Date.now();
  let ended = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const elapsed = Date.now() - started;
      const due = elapsed >= drainMs ? total : Math.floor((elapsed / drainMs) * total);
      for (; ended < due; ended++) endConnection(core, connections[ended] as Connection, 'closed', frame);
      // No stream is admitted while draining: an empty registry means every one has ended.
      if (ended >= total || core.registry.connections.size === 0) resolve();
      else setTimeout(tick, Math.min(step, drainMs - elapsed));
    };
    tick();
  });
}

/**
 * The whole of `close()`: refuse new streams, drain the open ones over `drainMs` (or end them at
 * once), stop publishing, the heartbeat and the live feed, and close the store.
 *
 * @param stopFeed - stops the shared store's live feed, if any
 * @param retryMs - the `retry:` each stream gets last
 * @param drainMs - the drain window (0: every stream ends at once)
 */
export async function shutDown(
  core: EmitterCore,
  stopFeed: () => void,
  retryMs: number,
  drainMs: number,
): Promise<void> {
  const frame = retryFrame(retryMs);
  // New streams are refused from now on; open ones keep receiving what is published meanwhile.
  core.draining = true;
  if (drainMs > 0) await drainConnections(core, [...core.registry.connections.values()], drainMs, frame);
  core.closed = true;
  core.heartbeat.stop();
  stopFeed();
  for (const connection of [...core.registry.connections.values()])
    endConnection(core, connection, 'closed', frame);
  try {
    await core.store.close?.();
  } catch (error) {
    throw new SseServerError('store-failed', 'the replay store failed to close', { cause: error });
  }
}
