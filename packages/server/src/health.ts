import type { EmitterCore } from './emitter-core';

/** How long {@link checkHealth} waits for the store before calling it unavailable. */
const STORE_CHECK_MS = 1000;

/** What `sse.health()` says, for readiness and liveness probes. */
export interface EmitterHealth {
  /** `open` (accepting streams), `draining` (`close()` began: 503 to new streams), `closed`. */
  readonly state: 'open' | 'draining' | 'closed';
  /** Whether this instance should receive traffic: open, with its store answering. */
  readonly ready: boolean;
  /** Open streams. */
  readonly clients: number;
  /** Whether the replay store answered a read (`head()`) within a second; `closed` once closed. */
  readonly store: 'ok' | 'unavailable' | 'closed';
}

/**
 * Checks the emitter and its store.
 *
 * @returns the health snapshot
 */
export async function checkHealth(core: EmitterCore): Promise<EmitterHealth> {
  const state = core.closed ? 'closed' : core.draining ? 'draining' : 'open';
  const clients = core.registry.connections.size;
  if (state === 'closed') return { state, ready: false, clients, store: 'closed' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const store = await Promise.race([
    // A store whose head() throws instead of rejecting is as unavailable as one that rejects.
    Promise.resolve()
      .then(() => core.store.head())
      .then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      ),
    new Promise<'unavailable'>((resolve) => {
      timer = setTimeout(() => resolve('unavailable'), STORE_CHECK_MS);
    }),
  ]);
  clearTimeout(timer);
  return { state, ready: state === 'open' && store === 'ok', clients, store };
}
