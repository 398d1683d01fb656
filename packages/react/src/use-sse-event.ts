import type { EventHandler } from '@app/sse-client';
import type { EventCatalog, EventName } from '@app/sse-protocol';
import { useEffect } from 'react';
import { type HooksContext, readContext, useLease } from './hooks-context';
import { useRenderedFor } from './rendered-for';

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
    // The handler of the latest render, while the client registration stays the same across
    // renders; a registration for a previous name never calls a handler rendered for another.
    const latest = useRenderedFor<string, EventHandler<C, N>>(name, handler);
    useEffect(
      () =>
        client.on(name, (data, meta) => {
          const { key, value } = latest.current;
          if (key === name) value(data, meta);
        }),
      [client, name],
    );
    useLease(lease);
  };
}
