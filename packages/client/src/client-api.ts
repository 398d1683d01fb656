import type { EventCatalog, EventData, EventName, ResetData } from '@app/sse-protocol';
import type { SseClientError } from './errors';

/**
 * Where the client stands:
 * - `connecting`: the first connection since `connect()` (or creation) is being opened;
 * - `open`: a stream is open and events flow;
 * - `reconnecting`: the stream was lost; the client waits (see `retryAt` and `paused` in the
 *   snapshot) or is opening the next connection;
 * - `closed`: no connection and none coming: `close()` was called, a fatal error happened, the
 *   server answered `204`, or `autoConnect` was off and `connect()` was not called yet.
 *
 * @example
 * ```ts
 * client.onState((state: ClientState) => badge.classList.toggle('live', state === 'open'));
 * ```
 */
export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Why a client is waiting instead of connecting: the runtime is offline, or the page is hidden
 * (with `pauseWhenHidden`).
 *
 * @example
 * ```ts
 * const paused: PauseReason | null = client.getSnapshot().paused;
 * if (paused === 'offline') banner.textContent = 'Offline: waiting for the network';
 * ```
 */
export type PauseReason = 'offline' | 'hidden';

/**
 * What a handler learns about an event besides its data.
 *
 * @typeParam N - the event name
 *
 * @example
 * ```ts
 * client.on('user:joined', (data, meta: EventMeta<'user:joined'>) => sessionStorage.setItem('resume', meta.id));
 * ```
 */
export interface EventMeta<N extends string = string> {
  /** The event's ID: the stream's last event ID when it was dispatched (`''` when none was set). */
  readonly id: string;
  /** The event name. */
  readonly event: N;
}

/**
 * A handler of event `N`: typed data and metadata. Its return value is ignored, except that a
 * returned promise that rejects is reported to `onError` as `handler-threw`.
 *
 * @typeParam C - the event catalog
 * @typeParam N - the event name
 *
 * @example
 * ```ts
 * const onJoin: EventHandler<typeof events, 'user:joined'> = (data) => roster.add(data.userId);
 * client.on('user:joined', onJoin);
 * ```
 */
export type EventHandler<C extends EventCatalog, N extends EventName<C>> = (
  data: EventData<C, N>,
  meta: EventMeta<N>,
) => unknown;

/**
 * One event as `stream()` yields it: `{ type, data, id }`, a union narrowed by `type`.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```ts
 * function render(event: ClientEvent<typeof events>) {
 *   if (event.type === 'notification') toast(event.data.message);
 * }
 * ```
 */
export type ClientEvent<C extends EventCatalog> = {
  [N in EventName<C>]: { readonly type: N; readonly data: EventData<C, N>; readonly id: string };
}[EventName<C>];

/**
 * What `onReset` handlers receive: why the server could not replay, and from where.
 *
 * @example
 * ```ts
 * client.onReset((info: ResetInfo) => console.info(`refetching (${info.reason} at ${info.lastEventId})`));
 * ```
 */
export type ResetInfo = ResetData;

/**
 * An immutable picture of the client, for UI stores (`useSyncExternalStore`). A new object is
 * made only when a field changes, so it can be compared by identity.
 *
 * @example
 * ```ts
 * const snapshot: ClientSnapshot = useSyncExternalStore(client.subscribe, client.getSnapshot);
 * const seconds = snapshot.retryAt === null ? 0 : Math.ceil((snapshot.retryAt - Date.now()) / 1000);
 * ```
 */
export interface ClientSnapshot {
  /** The connection state. */
  readonly state: ClientState;
  /** The last event ID: what the next connection sends to resume. */
  readonly lastEventId: string;
  /**
   * When the scheduled reconnection attempt starts, in epoch milliseconds (`Date.now()` time), or
   * `null` when none is scheduled. A "reconnecting in N s" badge counts down to it.
   */
  readonly retryAt: number | null;
  /** Consecutive failed connection attempts since the last healthy connection. */
  readonly attempt: number;
  /** Why the client waits instead of connecting (`offline`, page `hidden`), or `null`. */
  readonly paused: PauseReason | null;
  /** The error that ended the last connection or closed the client; `null` once a connection is healthy. */
  readonly error: SseClientError | null;
  /** The connection ID the server announced in `sse:hello` (its `client:<id>` channel), or `null`. */
  readonly clientId: string | null;
  /**
   * With the `share` option: whether this tab holds the shared stream (`'leader'`) or receives
   * its events from the tab that does (`'follower'`). `null` for a client with a stream of its own
   * (no `share`, a runtime that cannot share, or closed).
   */
  readonly role: 'leader' | 'follower' | null;
}

/**
 * Options of {@link SseClient.stream}.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * for await (const event of client.stream({ signal: controller.signal, maxBuffered: 1000 })) render(event);
 * ```
 */
export interface StreamOptions {
  /**
   * Ends the iteration when aborted (like `break` in the loop).
   * @defaultValue none: the loop runs until `break`, `close()` or a fatal error
   */
  signal?: AbortSignal;
  /**
   * How many events may queue for a loop that has not taken them yet. Events are pushed as they
   * arrive, whatever the loop is doing (one slow loop never holds back the connection or the
   * other consumers), so this bounds the memory a slow or forgotten loop can hold. A loop that
   * falls further behind is unsubscribed at once; it still gets every event queued until then,
   * and then throws an {@link SseClientError} of code `stream-overflow`, so the gap is never
   * silent. `Infinity` turns the bound off.
   * @defaultValue `10000`
   */
  maxBuffered?: number;
}

/**
 * A reconnecting, typed Server-Sent Events client, made by `createClient`.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```ts
 * const client: SseClient<typeof events> = createClient({ url: '/events', events });
 * client.on('user:left', (data) => roster.delete(data.userId));
 * ```
 */
export interface SseClient<C extends EventCatalog> {
  /**
   * Calls `handler` with each valid `event`, in arrival order, once per event ID.
   *
   * @param event - a catalog event name
   * @param handler - receives the parsed data and `{ id, event }`
   * @returns a function that removes the handler
   *
   * @example
   * ```ts
   * const off = client.on('user:joined', (data, meta) => console.log(data.name, meta.id));
   * ```
   */
  on<N extends EventName<C>>(event: N, handler: EventHandler<C, N>): () => void;
  /**
   * Like {@link SseClient.on}, for the next `event` only.
   *
   * @param event - a catalog event name
   * @param handler - receives the parsed data and `{ id, event }`
   * @returns a function that removes the handler before it ran
   *
   * @example
   * ```ts
   * client.once('notification', (data) => toast(data.message));
   * ```
   */
  once<N extends EventName<C>>(event: N, handler: EventHandler<C, N>): () => void;
  /**
   * Calls `listener` on every state change (not with the current state).
   *
   * @param listener - receives the new state
   * @returns a function that removes the listener
   *
   * @example
   * ```ts
   * client.onState((state) => (badge.textContent = state));
   * ```
   */
  onState(listener: (state: ClientState) => void): () => void;
  /**
   * Calls `listener` with every error: connection errors, invalid events, throwing handlers.
   *
   * @param listener - receives an {@link SseClientError}
   * @returns a function that removes the listener
   *
   * @example
   * ```ts
   * client.onError((error) => console.warn(error.code, error.message));
   * ```
   */
  onError(listener: (error: SseClientError) => void): () => void;
  /**
   * Calls `listener` when the server could not replay what the client missed (`sse:reset`):
   * refetch the state the events would have updated.
   *
   * @param listener - receives `{ reason, lastEventId }`
   * @returns a function that removes the listener
   *
   * @example
   * ```ts
   * client.onReset(() => queryClient.invalidateQueries());
   * ```
   */
  onReset(listener: (info: ResetInfo) => unknown): () => void;
  /**
   * The events as an async iterator of the catalog's union, narrowed by `type`. Events queue
   * until the loop takes them (at most `maxBuffered`; past that the loop throws
   * `stream-overflow` after the queued events). `break`, `return` or the `signal` end it; so does
   * the client closing (after the queued events): quietly for `close()` and `204`, by throwing
   * the {@link SseClientError} for a fatal error. One made while the client is closed waits for
   * the next `connect()`. Each call makes an independent iterator: several loops may run at once,
   * each seeing every event.
   *
   * @param options - `signal`: ends the iteration when aborted; `maxBuffered`: the most events
   * queued for a loop that lags (default 10,000)
   *
   * @example
   * ```ts
   * for await (const event of client.stream()) {
   *   if (event.type === 'user:joined') console.log(event.data.name);
   * }
   * ```
   */
  stream(options?: StreamOptions): AsyncIterableIterator<ClientEvent<C>>;
  /**
   * Calls `listener` whenever {@link SseClient.getSnapshot} changes (for `useSyncExternalStore`).
   *
   * @param listener - called without arguments
   * @returns a function that removes the listener
   *
   * @example
   * ```ts
   * const snapshot = useSyncExternalStore(client.subscribe, client.getSnapshot);
   * ```
   */
  subscribe(listener: () => void): () => void;
  /**
   * The current {@link ClientSnapshot}; the same object until something changes.
   *
   * @example
   * ```ts
   * const { state, retryAt } = client.getSnapshot();
   * ```
   */
  getSnapshot(): ClientSnapshot;
  /**
   * The last event ID: what the next connection sends to resume (`''` when none).
   *
   * @example
   * ```ts
   * addEventListener('pagehide', () => sessionStorage.setItem('resume', client.lastEventId));
   * ```
   */
  readonly lastEventId: string;
  /**
   * Events dropped because the catalog does not define their type. From a server whose newer
   * catalog is compatible with this one (its `sse:hello` says so) they are skipped quietly;
   * otherwise each is also reported to `onError` as `unknown-event`.
   *
   * @example
   * ```ts
   * if (client.skippedEvents > 0) console.debug(`${client.skippedEvents} events of a newer catalog skipped`);
   * ```
   */
  readonly skippedEvents: number;
  /**
   * Counters since the client was created, for logs and dashboards (see {@link ClientMetrics}): a
   * new object each call.
   *
   * @example
   * ```ts
   * setInterval(() => analytics.track('sse', client.metrics()), 60_000);
   * ```
   */
  metrics(): ClientMetrics;
  /**
   * The connection state.
   *
   * @example
   * ```ts
   * if (client.state === 'closed') client.connect();
   * ```
   */
  readonly state: ClientState;
  /**
   * Opens the connection if the client is `closed` (after `close()`, a fatal error, `204`, or with
   * `autoConnect: false`); does nothing otherwise (calling it twice never opens two streams).
   * Resumes from {@link SseClient.lastEventId}.
   *
   * @example
   * ```ts
   * client.onError((error) => {
   *   if (error.code === 'unauthorized') auth.refresh().then(() => client.connect());
   * });
   * ```
   */
  connect(): void;
  /**
   * Closes the connection and cancels any reconnection, whatever the client is doing (connecting,
   * open, waiting to reconnect, or inside a handler: no other handler runs for the rest of the
   * stream); ends every `stream()`. Handlers stay registered, so `connect()` resumes.
   *
   * @example
   * ```ts
   * addEventListener('pagehide', () => client.close());
   * ```
   */
  close(): void;
}

/** What {@link SseClient.metrics} counts, since the client was created. */
export interface ClientMetrics {
  /** Streams opened (responses accepted). */
  readonly connections: number;
  /** Reconnections scheduled (one backoff wait each). */
  readonly reconnects: number;
  /** Milliseconds of those backoff waits, added up (the `Retry-After` floors included). */
  readonly backoffMs: number;
  /** Catalog events handed to handlers and `stream()` loops. */
  readonly events: number;
  /** `sse:reset` received: the server could not replay what the client missed. */
  readonly resets: number;
  /** Events dropped because one with the same ID was already delivered (a replay overlap). */
  readonly duplicates: number;
  /** Events dropped as not JSON or not matching their schema (each also reported to `onError`). */
  readonly invalidEvents: number;
  /** Events dropped because the catalog does not define their type (also `skippedEvents`). */
  readonly skippedEvents: number;
  /** Bytes received with the fetch transport (the EventSource transport cannot see them: 0). */
  readonly bytes: number;
}
