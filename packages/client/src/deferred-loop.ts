import type { ReconnectLoop } from './reconnect-loop';
import type { SnapshotStore } from './snapshot-store';

/**
 * A connection whose code loads on demand (the sharing code is a chunk of its own, so that apps
 * that do not share never download it). `connect()` and `close()` apply at once to the state and
 * reach the loop once it has loaded. When the chunk cannot load, `fallback` (a stream of the
 * client's own) takes its place.
 *
 * @param load - loads and creates the loop
 * @param fallback - creates the loop to use when loading fails
 * @param store - the client's snapshot store
 * @param closed - ends the client's `stream()` loops, as a loop's close does
 */
export function deferLoop(
  load: () => Promise<ReconnectLoop>,
  fallback: () => ReconnectLoop,
  store: SnapshotStore,
  closed: () => void,
): ReconnectLoop {
  let loop: ReconnectLoop | undefined;
  let wanted = false;
  load()
    .catch(() => {
      // The fallback starts from `closed`, as a new loop expects.
      store.set({ state: 'closed' });
      return fallback();
    })
    .then((ready) => {
      loop = ready;
      if (wanted) ready.connect();
    });
  return {
    connect() {
      if (loop !== undefined) return loop.connect();
      wanted = true;
      store.set({ state: 'connecting' });
    },
    close() {
      if (loop !== undefined) return loop.close();
      wanted = false;
      closed();
      store.set({ state: 'closed' });
    },
  };
}
