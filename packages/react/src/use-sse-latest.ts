import type { EventCatalog, EventName } from '@app/sse-protocol';
import { useCallback, useSyncExternalStore } from 'react';
import { type HooksContext, readContext, useLease } from './hooks-context';
import type { LatestEvent } from './latest-store';

/**
 * The `useSseLatest` hook of one client; see {@link SseHooks.useSseLatest}.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```tsx
 * const useLatest: UseSseLatest<typeof events> = hooks.useSseLatest;
 * ```
 */
export type UseSseLatest<C extends EventCatalog> = <N extends EventName<C>>(
  name: N,
) => LatestEvent<C, N> | undefined;

const nothing = () => undefined;

/**
 * Makes the `useSseLatest` hook of one client.
 *
 * @param context - the client, its lease and stores
 */
export function makeUseSseLatest<C extends EventCatalog>(context: HooksContext<C>): UseSseLatest<C> {
  return function useSseLatest<N extends EventName<C>>(name: N): LatestEvent<C, N> | undefined {
    const { lease, latest } = readContext(context);
    useLease(lease);
    const subscribe = useCallback((listener: () => void) => latest.subscribe(name, listener), [latest, name]);
    const getSnapshot = useCallback(() => latest.get(name), [latest, name]);
    // The server never holds events: every server render (and the hydration) shows "none yet".
    return useSyncExternalStore(subscribe, getSnapshot, nothing);
  };
}
