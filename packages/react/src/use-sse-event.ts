import type { EventHandler } from '@app/sse-client';
import type { EventCatalog, EventName } from '@app/sse-protocol';
import { useEffect, useInsertionEffect, useRef } from 'react';
import { type HooksContext, readContext, useLease } from './hooks-context';

/**
 * The `useSseEvent` hook of one client; see {@link SseHooks.useSseEvent}.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```tsx
 * const useEvent: UseSseEvent<typeof events> = hooks.useSseEvent;
 * ```
 */
export type UseSseEvent<C extends EventCatalog> = <N extends EventName<C>>(
  name: N,
  handler: EventHandler<C, N>,
) => void;

/**
 * Makes the `useSseEvent` hook of one client.
 *
 * @param context - the client, its lease and stores
 */
export function makeUseSseEvent<C extends EventCatalog>(context: HooksContext<C>): UseSseEvent<C> {
  return function useSseEvent<N extends EventName<C>>(name: N, handler: EventHandler<C, N>): void {
    const { client, lease } = readContext(context);
    const latest = useRef(handler);
    // Updated before any effect or event of the committed render runs (an insertion effect runs
    // first and never on the server), so the handler sees the latest props and state while the
    // client registration below stays the same across renders.
    useInsertionEffect(() => {
      latest.current = handler;
    });
    useEffect(() => client.on(name, (data, meta) => latest.current(data, meta)), [client, name]);
    useLease(lease);
  };
}
