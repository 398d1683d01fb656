import type { EventMeta } from '@app/sse-client';
import type { EventCatalog, EventData, EventName } from '@app/sse-protocol';
import { type QueryClient, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SseHooks } from './create-sse-hooks';
import { useRenderedFor } from './rendered-for';

/**
 * Options of {@link SseQueryHooks.useSseQueryUpdate} and {@link SseQueryHooks.useSseInvalidate}.
 *
 * @example
 * ```ts
 * const options: SseQueryUpdateOptions = { invalidateOnReset: false };
 * ```
 */
export interface SseQueryUpdateOptions {
  /**
   * Invalidate the query when the server could not replay what the client missed (`sse:reset`):
   * the events that would have updated it are gone, so TanStack Query refetches it.
   * @defaultValue `true`
   */
  invalidateOnReset?: boolean;
  /**
   * The query client.
   * @defaultValue the one of the nearest `QueryClientProvider`
   */
  queryClient?: QueryClient;
}

/**
 * TanStack Query hooks over one client's events, made by {@link createSseQueryHooks}.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```tsx
 * export const { useSseQueryUpdate, useSseInvalidate } = createSseQueryHooks(sseHooks);
 * ```
 */
export interface SseQueryHooks<C extends EventCatalog> {
  /**
   * While mounted, writes each `name` event into the cached data of `queryKey` with `update`
   * (`setQueryData`), and invalidates that query on `sse:reset`.
   *
   * @example
   * ```tsx
   * useSseQueryUpdate('user:joined', ['users'], (users: User[] | undefined, data) =>
   *   users === undefined ? undefined : [...users, { id: data.userId, name: data.name }]);
   * ```
   */
  useSseQueryUpdate<N extends EventName<C>, T>(
    name: N,
    queryKey: QueryKey,
    update: (previous: T | undefined, data: EventData<C, N>, meta: EventMeta<N>) => T | undefined,
    options?: SseQueryUpdateOptions,
  ): void;
  /**
   * While mounted, invalidates the queries under `queryKey` whenever one of `names` arrives (and on
   * `sse:reset`): for events that say "this changed" without carrying the new state.
   *
   * @example
   * ```tsx
   * useSseInvalidate(['user:joined', 'user:left'], ['users']);
   * ```
   */
  useSseInvalidate<N extends EventName<C>>(
    names: readonly N[],
    queryKey: QueryKey,
    options?: SseQueryUpdateOptions,
  ): void;
}

/**
 * Binds one client's events to TanStack Query: events patch cached query data or invalidate
 * queries, and a reset invalidates them, so the next render refetches what the stream could not
 * replay. The hooks hold the client's connection like every hook of `createSseHooks`.
 *
 * @param hooks - what `createSseHooks(client)` returned
 * @returns the query hooks, typed by the client's catalog
 *
 * @example
 * ```tsx
 * import { createSseHooks } from '@app/sse-react';
 * import { createSseQueryHooks } from '@app/sse-react/query';
 *
 * const sseHooks = createSseHooks(client);
 * export const { useSseQueryUpdate, useSseInvalidate } = createSseQueryHooks(sseHooks);
 * ```
 */
export function createSseQueryHooks<C extends EventCatalog>(hooks: SseHooks<C>): SseQueryHooks<C> {
  const { client, useSseConnection } = hooks;

  function useResetInvalidation(queryClient: QueryClient, queryKey: QueryKey, enabled: boolean): void {
    const hash = JSON.stringify(queryKey);
    useEffect(() => {
      if (!enabled) return;
      const key = JSON.parse(hash) as QueryKey;
      return client.onReset(() => queryClient.invalidateQueries({ queryKey: key }));
    }, [queryClient, hash, enabled]);
  }

  return Object.freeze({
    useSseQueryUpdate<N extends EventName<C>, T>(
      name: N,
      queryKey: QueryKey,
      update: (previous: T | undefined, data: EventData<C, N>, meta: EventMeta<N>) => T | undefined,
      options: SseQueryUpdateOptions = {},
    ): void {
      const queryClient = useQueryClient(options.queryClient);
      // Keyed by the hash of the key, as TanStack Query does: a new array literal each render is
      // the same query.
      const hash = JSON.stringify(queryKey);
      // An updater rendered for another event or query is never called with this one's events.
      const rendered = useRenderedFor(`${name}\u0000${hash}`, update);
      useEffect(() => {
        const key = JSON.parse(hash) as QueryKey;
        const renderedKey = `${name}\u0000${hash}`;
        return client.on(name, (data, meta) => {
          const { key: current, value } = rendered.current;
          if (current === renderedKey)
            queryClient.setQueryData<T>(key, (previous) => value(previous, data, meta));
        });
      }, [client, queryClient, name, hash]);
      useResetInvalidation(queryClient, queryKey, options.invalidateOnReset !== false);
      useSseConnection();
    },
    useSseInvalidate<N extends EventName<C>>(
      names: readonly N[],
      queryKey: QueryKey,
      options: SseQueryUpdateOptions = {},
    ): void {
      const queryClient = useQueryClient(options.queryClient);
      const hash = JSON.stringify(queryKey);
      const wanted = names.join('\u0000');
      useEffect(() => {
        const key = JSON.parse(hash) as QueryKey;
        const offs = ((wanted === '' ? [] : wanted.split('\u0000')) as N[]).map((name) =>
          client.on(name, () => queryClient.invalidateQueries({ queryKey: key })),
        );
        return () => {
          for (const off of offs) off();
        };
      }, [client, queryClient, wanted, hash]);
      useResetInvalidation(queryClient, queryKey, options.invalidateOnReset !== false);
      useSseConnection();
    },
  });
}
