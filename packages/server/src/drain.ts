import type { Connection } from './connection';
import { endConnection } from './connection-end';
import type { EmitterCore } from './emitter-core';

/** The shortest time between two steps of a drain: a few streams end per step, not one timer each. */
const MIN_STEP_MS = 10;

/**
 * Ends `connections` progressively over `drainMs`, each after the bytes it already has and a last
 * `frame` (`retry:`): the k-th of n ends at k/n of the window, so the clients come back to the
 * next instance at an even rate (n / drain seconds per second) instead of all in the same second.
 * A stream that ended by itself meanwhile is skipped. Resolves when the last one ended.
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
  const step = Math.max(MIN_STEP_MS, Math.floor(drainMs / Math.max(total, 1)));
  const started = Date.now();
  let ended = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const elapsed = Date.now() - started;
      const due = elapsed >= drainMs ? total : Math.floor((elapsed / drainMs) * total);
      for (; ended < due; ended++) endConnection(core, connections[ended] as Connection, 'closed', frame);
      if (ended >= total) resolve();
      else setTimeout(tick, Math.min(step, drainMs - elapsed));
    };
    tick();
  });
}
