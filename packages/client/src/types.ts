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
 */
export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a client is waiting instead of connecting. */
export type PauseReason = 'offline' | 'hidden';

/** What a handler learns about an event besides its data. */
export interface EventMeta<N extends string = string> {
  /** The event's ID: the stream's last event ID when it was dispatched (`''` when none was set). */
  readonly id: string;
  /** The event name. */
  readonly event: N;
}

/**
 * A handler of event `N`: typed data and metadata. Its return value is ignored, except that a
 * returned promise that rejects is reported to `onError` as `handler-threw`.
 */
export type EventHandler<C extends EventCatalog, N extends EventName<C>> = (
  data: EventData<C, N>,
  meta: EventMeta<N>,
) => unknown;

/** One event as `stream()` yields it: `{ type, data, id }`, a union narrowed by `type`. */
export type ClientEvent<C extends EventCatalog> = {
  [N in EventName<C>]: { readonly type: N; readonly data: EventData<C, N>; readonly id: string };
}[EventName<C>];

/** What `onReset` handlers receive: why the server could not replay, and from where. */
export type ResetInfo = ResetData;

/**
 * An immutable picture of the client, for UI stores (`useSyncExternalStore`). A new object is
 * made only when a field changes, so it can be compared by identity.
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
}

/** Options of {@link SseClient.stream}. */
export interface StreamOptions {
  /** Ends the iteration when aborted (like `break` in the loop). */
  signal?: AbortSignal;
}

/**
 * A reconnecting, typed Server-Sent Events client, made by `createClient`.
 *
 * @typeParam C - the event catalog
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
   * until the loop takes them. `break`, `return` or the `signal` end it; so does the client
   * closing (after the queued events): quietly for `close()` and `204`, by throwing the
   * {@link SseClientError} for a fatal error. One made while the client is closed waits for the
   * next `connect()`.
   *
   * @param options - `signal`: ends the iteration when aborted
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
  /** The current {@link ClientSnapshot}; the same object until something changes. */
  getSnapshot(): ClientSnapshot;
  /** The last event ID: what the next connection sends to resume (`''` when none). */
  readonly lastEventId: string;
  /** The connection state. */
  readonly state: ClientState;
  /**
   * Opens the connection if the client is `closed` (after `close()`, a fatal error, `204`, or with
   * `autoConnect: false`); does nothing otherwise. Resumes from {@link SseClient.lastEventId}.
   */
  connect(): void;
  /** Closes the connection and cancels any reconnection; ends every `stream()`. Handlers stay registered. */
  close(): void;
}
