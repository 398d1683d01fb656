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
