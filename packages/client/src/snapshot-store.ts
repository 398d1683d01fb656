import type { ClientSnapshot, ClientState } from './client-api';
import { createListeners } from './listeners';

/** Holds the client's {@link ClientSnapshot} and tells listeners when it changes. */
export interface SnapshotStore {
  /** The current snapshot (the same object until a field changes). */
  get(): ClientSnapshot;
  /** Changes some fields; listeners run when one of them really changed. */
  set(patch: Partial<ClientSnapshot>): void;
  /** Adds a change listener; returns the function that removes it. */
  subscribe(listener: () => void): () => void;
  /** Adds a state listener; returns the function that removes it. */
  onState(listener: (state: ClientState) => void): () => void;
}

const CHANGED = Symbol('changed');

/**
 * The snapshot of a client that has not connected yet.
 *
 * @param lastEventId - the ID it will resume from (`''`: none)
 */
export function closedSnapshot(lastEventId: string): ClientSnapshot {
  return {
    state: 'closed',
    lastEventId,
    retryAt: null,
    attempt: 0,
    paused: null,
    error: null,
    clientId: null,
    role: null,
  };
}

/**
 * Creates the snapshot store. The snapshot object is rebuilt lazily, on the first `get()` after a
 * change: the last event ID changes with every event, and a client nobody renders should not pay
 * for an object per event.
 *
 * @param initial - the first snapshot
 * @param onThrow - where the errors of throwing listeners go
 */
export function createSnapshotStore(
  initial: ClientSnapshot,
  onThrow: (error: unknown) => void,
): SnapshotStore {
  const current: { -readonly [K in keyof ClientSnapshot]: ClientSnapshot[K] } = { ...initial };
  let snapshot: ClientSnapshot | undefined;
  const changeListeners = createListeners<undefined>();
  const stateListeners = createListeners<ClientState>();
  const pending: (ClientState | typeof CHANGED)[] = [];
  let draining = false;

  return {
    get() {
      snapshot ??= Object.freeze({ ...current });
      return snapshot;
    },
    set(patch) {
      let changed = false;
      const previousState = current.state;
      for (const key of Object.keys(patch) as (keyof ClientSnapshot)[]) {
        const value = patch[key];
        if (value === undefined || Object.is(current[key], value)) continue;
        (current as Record<keyof ClientSnapshot, unknown>)[key] = value;
        changed = true;
      }
      if (!changed) return;
      snapshot = undefined;
      if (current.state !== previousState) pending.push(current.state);
      pending.push(CHANGED);
      if (draining) return;
      // A listener may change the client again (close() from onState): its notifications wait
      // until every listener has seen the current one, so all of them see the changes in order.
      draining = true;
      try {
        for (let index = 0; index < pending.length; index++) {
          const next = pending[index] as ClientState | typeof CHANGED;
          if (next === CHANGED) changeListeners.emit(undefined, undefined, onThrow);
          else stateListeners.emit(next, undefined, onThrow);
        }
      } finally {
        pending.length = 0;
        draining = false;
      }
    },
    subscribe: (listener) => changeListeners.add(listener),
    onState: (listener) => stateListeners.add(listener),
  };
}
