import type { SseClient } from '@app/sse-client';
import type { EventCatalog } from '@app/sse-protocol';
import { createConnectionLease } from './connection-lease';
import { type HooksContext, useLease } from './hooks-context';
import { latestStoreOf } from './latest-store';
import { makeUseSseEvent, type UseSseEvent } from './use-sse-event';
import { makeUseSseLatest, type UseSseLatest } from './use-sse-latest';
import { makeUseSseReducer, type UseSseReducer } from './use-sse-reducer';
import { makeUseSseStatus, type UseSseStatus } from './use-sse-status';

/**
 * Options of {@link createSseHooks}.
 *
 * @example
 * ```ts
 * const options: SseHooksOptions = { idleCloseMs: 5_000 };
 * ```
 */
export interface SseHooksOptions {
  /**
   * Let the hooks open and close the stream: the first mounted component that uses a hook calls
   * `client.connect()` (when the client is `closed`), and `idleCloseMs` after the last one
   * unmounts, `client.close()`. With `false`, the application calls them itself.
   * @defaultValue `true`
   */
  manageConnection?: boolean;
  /**
   * How long the stream stays open after the last component using it unmounted, in milliseconds.
   * A component that mounts within that time (StrictMode's second mount, the next page of a route
   * change) takes the same stream over: no second connection, no gap. With several hook sets on one
   * client, the longest `idleCloseMs` of the managing sets that held it applies.
   * @defaultValue `1000`
   */
  idleCloseMs?: number;
}

/**
 * The hooks of one client, made by {@link createSseHooks}.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```tsx
 * export const { useSseStatus, useSseEvent, useSseLatest, useSseReducer } = createSseHooks(client);
 * ```
 */
export interface SseHooks<C extends EventCatalog> {
  /** The client the hooks read. */
  readonly client: SseClient<C>;
  /**
   * The connection status through `useSyncExternalStore`. Without a selector: every field of the
   * snapshot but `lastEventId` (which changes on every event). With one: what it picks, re-rendering
   * only when that changes (compared shallowly, so `{ state, attempt }` works). Server renders and
   * hydration see a constant snapshot (`state: 'connecting'`).
   *
   * @example
   * ```tsx
   * function Badge() {
   *   const state = useSseStatus((s) => s.state);
   *   return <span className={state}>{state}</span>;
   * }
   * ```
   */
  readonly useSseStatus: UseSseStatus;
  /**
   * Calls `handler` with each `name` event while the component is mounted. The handler always sees
   * the latest props and state, and a new function on every render does not re-register it.
   *
   * @example
   * ```tsx
   * useSseEvent('notification', (data, meta) => toast(`${data.message} (${meta.id})`));
   * ```
   */
  readonly useSseEvent: UseSseEvent<C>;
  /**
   * The last `name` event (`{ data, id }`), or `undefined` before the first one. Shared by every
   * component: one that mounts later still sees the last payload.
   *
   * @example
   * ```tsx
   * const latest = useSseLatest('notification');
   * return <p>{latest?.data.message ?? 'No news'}</p>;
   * ```
   */
  readonly useSseLatest: UseSseLatest<C>;
  /**
   * Folds `names` events into state with `reducer`, starting from `init`. On `sse:reset` (the
   * server could not replay what the client missed) the state goes back to `init`, or to what
   * `options.refetch` resolves to, with the events that arrived meanwhile folded on top. A component
   * hidden by React 19's `<Activity>` while events went by gets the same treatment when shown again.
   *
   * @example
   * ```tsx
   * const { state: online } = useSseReducer(['user:joined', 'user:left'], (users, event) =>
   *   event.type === 'user:joined' ? [...users, event.data.name] : users.filter((u) => u !== event.data.userId), []);
   * ```
   */
  readonly useSseReducer: UseSseReducer<C>;
  /**
   * Keeps the stream open while the component is mounted, without reading anything (every other
   * hook does this too).
   *
   * @example
   * ```tsx
   * function LiveRegion({ children }: { children: ReactNode }) {
   *   useSseConnection();
   *   return children;
   * }
   * ```
   */
  readonly useSseConnection: () => void;
}

/**
 * Makes typed React hooks over one client. Create the client and the hooks once, outside render
 * (one stream per URL and user, however many components listen); the hooks share its connection,
 * reference-counted, so StrictMode's double mount and fast remounts neither open a second stream
 * nor lose events. In a server render no hook connects, reads the network or touches the URL.
 *
 * Calling it again for the same client (a second module's hooks) is safe: every hook set of one
 * client shares its count of mounted components and its `useSseLatest` store, so the stream is
 * closed only when no component of any set is mounted (after the longest `idleCloseMs` of the
 * managing sets).
 *
 * @param client - a client from `createClient` (with `autoConnect: false` for server-rendered apps)
 * @param options - `manageConnection` (default `true`) and `idleCloseMs` (default `1000`)
 * @returns the hooks, typed by the client's catalog
 * @throws TypeError for a value that is not a client, RangeError for a bad `idleCloseMs`
 *
 * @example
 * ```tsx
 * import { createClient } from '@app/sse-client';
 * import { createSseHooks } from '@app/sse-react';
 * import { events } from './events';
 *
 * const client = createClient({ url: '/events', events, autoConnect: false });
 * export const { useSseStatus, useSseEvent, useSseLatest, useSseReducer } = createSseHooks(client);
 * ```
 */
export function createSseHooks<C extends EventCatalog>(
  client: SseClient<C>,
  options: SseHooksOptions = {},
): SseHooks<C> {
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.subscribe !== 'function' ||
    typeof client.getSnapshot !== 'function' ||
    typeof client.on !== 'function'
  ) {
    throw new TypeError('@app/sse-react: createSseHooks() takes a client made by createClient()');
  }
  const { manageConnection = true, idleCloseMs = 1000 } = options;
  if (typeof idleCloseMs !== 'number' || !(idleCloseMs >= 0) || !Number.isFinite(idleCloseMs)) {
    throw new RangeError(
      `@app/sse-react: idleCloseMs must be a finite, non-negative number of milliseconds, got ${String(idleCloseMs)}`,
    );
  }
  const lease = createConnectionLease(client, manageConnection !== false, idleCloseMs);
  const context: HooksContext<C> = { client, lease, latest: latestStoreOf(client) };
  return Object.freeze({
    client,
    useSseStatus: makeUseSseStatus(context),
    useSseEvent: makeUseSseEvent(context),
    useSseLatest: makeUseSseLatest(context),
    useSseReducer: makeUseSseReducer(context),
    useSseConnection: function useSseConnection() {
      useLease(lease);
    },
  });
}
