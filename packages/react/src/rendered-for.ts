import { useInsertionEffect, useRef } from 'react';

/**
 * What the latest committed render passed to a hook, and the key it was rendered for (an event
 * name, several names, a query): see {@link useRenderedFor}.
 */
export interface RenderedFor<K, V> {
  /** The key the value belongs to. */
  readonly key: K;
  /** The value (a handler, a reducer, an updater). */
  readonly value: V;
}

/**
 * Holds the value of the latest committed render together with its key, for the listeners that an
 * effect keyed on that key registers. The value is swapped at commit (an insertion effect runs
 * before any effect or event of the render, and never on the server), so a listener always calls
 * the latest props and state. The effect that registers listeners for a new key runs later: React
 * 19 runs passive effects in a task of their own, and events can arrive in between. There, a
 * listener registered for the previous key must not call the new value, rendered for another key
 * (a handler typed for another event): it checks `key` first.
 *
 * @param key - what the value was rendered for
 * @param value - the value
 * @returns a ref whose `current` is the latest committed `{ key, value }`
 */
export function useRenderedFor<K, V>(key: K, value: V): { readonly current: RenderedFor<K, V> } {
  const latest = useRef<RenderedFor<K, V>>({ key, value });
  useInsertionEffect(() => {
    latest.current = { key, value };
  });
  return latest;
}
