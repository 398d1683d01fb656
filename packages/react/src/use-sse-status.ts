import type { ClientSnapshot } from '@app/sse-client';
import type { EventCatalog } from '@app/sse-protocol';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { type HooksContext, readContext, useLease } from './hooks-context';
import { SERVER_SNAPSHOT } from './server-snapshot';
import { shallowEqual } from './shallow-equal';

/**
 * The connection status as `useSseStatus()` gives it without a selector: the client snapshot
 * without `lastEventId`, which changes with every event (select it explicitly to follow it).
 *
 * @example
 * ```tsx
 * const { state, retryAt }: SseStatus = useSseStatus();
 * ```
 */
export type SseStatus = Omit<ClientSnapshot, 'lastEventId'>;

/**
 * The `useSseStatus` hook of one client; see {@link SseHooks.useSseStatus}.
 *
 * @example
 * ```tsx
 * const useStatus: UseSseStatus = hooks.useSseStatus;
 * ```
 */
export interface UseSseStatus {
  /** The status without `lastEventId`, re-rendering when one of its fields changes. */
  (): SseStatus;
  /** What `selector` picks from the snapshot, re-rendering only when that changes (compared shallowly). */
  <T>(selector: (snapshot: ClientSnapshot) => T): T;
}

function withoutLastEventId(snapshot: ClientSnapshot): SseStatus {
  const { lastEventId: _ignored, ...status } = snapshot;
  return status;
}

interface Selection {
  snapshot: ClientSnapshot;
  selector: (snapshot: ClientSnapshot) => unknown;
  value: unknown;
}

/**
 * Keeps the previous selection while a new snapshot or selector gives a shallowly equal value, so
 * `useSyncExternalStore` sees the same value and React skips the render: a badge showing `state`
 * does not re-render for every event, although every event changes `lastEventId`.
 */
function select(
  cache: { current: Selection | null },
  snapshot: ClientSnapshot,
  selector: (snapshot: ClientSnapshot) => unknown,
): unknown {
  const previous = cache.current;
  if (previous !== null && previous.snapshot === snapshot && previous.selector === selector) {
    return previous.value;
  }
  const next = selector(snapshot);
  const value = previous !== null && shallowEqual(previous.value, next) ? previous.value : next;
  cache.current = { snapshot, selector, value };
  return value;
}

/**
 * Makes the `useSseStatus` hook of one client.
 *
 * @param context - the client, its lease and stores
 */
export function makeUseSseStatus<C extends EventCatalog>(context: HooksContext<C>): UseSseStatus {
  function useSseStatus<T>(selector?: (snapshot: ClientSnapshot) => T): T | SseStatus {
    const { client, lease } = readContext(context);
    useLease(lease);
    const pick = (selector ?? withoutLastEventId) as (snapshot: ClientSnapshot) => unknown;
    const clientCache = useRef<Selection | null>(null);
    const serverCache = useRef<Selection | null>(null);
    const getSnapshot = useCallback(() => select(clientCache, client.getSnapshot(), pick), [client, pick]);
    const getServerSnapshot = useCallback(() => select(serverCache, SERVER_SNAPSHOT, pick), [pick]);
    return useSyncExternalStore(client.subscribe, getSnapshot, getServerSnapshot) as T | SseStatus;
  }
  return useSseStatus as UseSseStatus;
}
