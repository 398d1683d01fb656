import type { SseClient } from '@app/sse-client';
import type { EventCatalog } from '@app/sse-protocol';
import { useEffect } from 'react';
import type { ConnectionLease } from './connection-lease';
import type { LatestStore } from './latest-store';

/** What every hook of one {@link createSseHooks} call shares. */
export interface HooksContext<C extends EventCatalog> {
  readonly client: SseClient<C>;
  readonly lease: ConnectionLease;
  readonly latest: LatestStore<C>;
}

/**
 * Holds the connection lease while the calling component is mounted. Effects never run in a
 * server render, so a server render never connects.
 *
 * @param lease - the client's lease
 */
export function useLease(lease: ConnectionLease): void {
  useEffect(() => lease.acquire(), [lease]);
}

/**
 * The hook set's context, read in the render of the component calling the hook. Values read
 * through it are dependencies of the hook's effects, not constants: a component may be handed
 * another client's hook set between renders (per-user clients), and must then subscribe to that
 * client, not keep the first one.
 *
 * @param context - the hook set's client, lease and stores
 * @returns the same context
 */
export function readContext<C extends EventCatalog>(context: HooksContext<C>): HooksContext<C> {
  return context;
}
