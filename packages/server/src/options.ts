import { type EventCatalog, MAX_TIMER_DELAY_MS, numberOptionProblem } from '@app/sse-protocol';
import type { CatalogContract } from '@app/sse-protocol/contract';
import type { Meter } from '@opentelemetry/api';
import type { ConnectionIdentity, ConnectionInfo, DisconnectInfo } from './connection-info';
import { SseServerError } from './errors';
import type { MemoryStoreOptions } from './memory-store';
import type { ReplayStore } from './replay-store';

/**
 * Options of {@link createEmitter}. Every one but `events` has a default; the stream follows the
 * WHATWG HTML "Server-sent events" section
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 *
 * @example
 * ```ts
 * const sse = createEmitter({
 *   events,
 *   replay: { maxEvents: 5000, maxBytes: 4 << 20, maxAgeMs: 10 * 60_000 },
 *   heartbeatMs: 20_000,
 *   retryMs: 2000,
 *   maxClients: 10_000,
 *   maxClientsPerUser: 5,
 *   onError: (error) => logger.error(error),
 * });
 * ```
 */
export interface EmitterOptions<C extends EventCatalog> {
  /** The event catalog (from `defineEvents`): names and schemas of everything the emitter sends. */
  events: C;
  /**
   * Bounds of the built-in in-memory replay store (ignored when `store` is given).
   * @defaultValue `{ maxEvents: 1000, maxBytes: 1048576, maxAgeMs: Infinity }`
   */
  replay?: Omit<MemoryStoreOptions, 'epoch'>;
  /**
   * A replay store of your own (for example one shared by several processes).
   * @defaultValue `createMemoryStore(replay)`
   */
  store?: ReplayStore;
  /**
   * Contracts of older catalogs that clients in the field were built with (`toContract(events)`
   * or `sse-catalog snapshot` files). Each is checked once, at creation: clients of a catalog this
   * one is `forward`-compatible with are told so in `sse:hello` and get no `catalog-mismatch`; the
   * others get `catalog-mismatch` naming the first breaking change.
   * @defaultValue `[]`: any other catalog is a mismatch
   */
  compatibleWith?: readonly CatalogContract[];
  /**
   * The OpenTelemetry meter the emitter's metrics are exported through (see the README's metrics
   * table), or `null` for none. The default is the global one: with an OpenTelemetry SDK registered
   * before the emitter is created, the metrics reach its exporters; without one, the API's no-op
   * meter costs nothing.
   * @defaultValue `metrics.getMeter('@app/sse-server')` of `@opentelemetry/api`
   */
  meter?: Meter | null;
  /**
   * Interval of the heartbeat comments that keep proxies and clients from timing out an idle
   * stream, in milliseconds; `0` sends none. One timer serves every connection.
   * @defaultValue `15000`
   */
  heartbeatMs?: number;
  /**
   * Reconnection time announced with `retry:` at the start of every stream, in milliseconds
   * (https://html.spec.whatwg.org/multipage/server-sent-events.html#concept-event-stream-reconnection-time).
   * Also the base of `Retry-After` on 503 refusals.
   * @defaultValue `3000`
   */
  retryMs?: number;
  /**
   * The most unsent bytes a connection may hold (queued by the emitter plus buffered in the
   * response). A connection past it is closed and counted in `stats().slowDisconnects`; it resumes
   * from the replay store when it reconnects. This bounds the memory a reader that never reads can take.
   * Size it above the largest burst published at once: events published in the same tick (say a
   * `Promise.all` of broadcasts) are all unsent until the socket gets to write, even for a fast reader.
   * @defaultValue `1048576` (1 MiB)
   */
  maxBufferedBytes?: number;
  /** The most open streams; more are refused with 503 and `Retry-After`. @defaultValue `Infinity` */
  maxClients?: number;
  /**
   * The most open streams of one user (connections whose `authorize` returned `{ userId }`); more
   * are refused with 503 and `Retry-After`.
   * @defaultValue `Infinity`
   */
  maxClientsPerUser?: number;
  /**
   * Called with failures that have no caller to throw to: a replay store that rejects while a
   * stream opens, an `authorize` or `channels` that throws something other than an HTTP error, an
   * `onConnect` or `onDisconnect` that throws or rejects. Should it throw, that is logged with
   * `console.error` and goes no further.
   * @defaultValue logs with `console.error`
   */
  onError?: (error: unknown) => void;
}

/**
 * What `authorize` may answer: `{ userId }` (joins `user:<userId>`), `true` (anonymous) or `false` (401).
 *
 * @example
 * ```ts
 * const authorize = async (req: express.Request): Promise<AuthorizeResult> =>
 *   req.session.userId ? { userId: req.session.userId } : false;
 * ```
 */
export type AuthorizeResult = { userId: string } | boolean;

/**
 * Per-endpoint options of `handler()` and `fetchHandler()`. `Req` is the request type the
 * endpoint gets: Express's `Request`, `IncomingMessage`, `Http2ServerRequest` or a fetch `Request`.
 *
 * The connection hooks `onConnect` and `onDisconnect` live here, beside `authorize` and
 * `channels`, rather than in {@link EmitterOptions}: they see the request with the endpoint's own
 * type (an Express session, a fetch `Request`'s headers), and each endpoint decides what its
 * streams count for (a public status stream need not count for presence). For emitter-wide
 * bookkeeping, pass the same functions to every endpoint.
 *
 * @example
 * ```ts
 * app.get('/events', sse.handler({
 *   authorize: (req: express.Request) => (req.session.userId ? { userId: req.session.userId } : false),
 *   channels: (req, { userId }) => [`team:${teamOf(userId)}`],
 *   onConnect: ({ userId }) => presence.connected(userId),
 *   onDisconnect: ({ userId }) => presence.disconnected(userId),
 * }));
 * ```
 */
export interface HandlerOptions<Req> {
  /**
   * Decides who may open a stream, before any byte is sent. Return `{ userId }` to admit a user
   * (the connection joins `user:<userId>`), `true` to admit anonymously, `false` to refuse with
   * 401, or throw `httpError(status, message)` to refuse with another status.
   * @defaultValue admits everyone anonymously
   */
  authorize?: (req: Req) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Extra channels the connection joins (besides `client:<clientId>` and `user:<userId>`). May
   * throw `httpError()` like `authorize`.
   * @defaultValue none
   */
  channels?: (
    req: Req,
    identity: ConnectionIdentity,
  ) => Iterable<string> | Promise<Iterable<string>> | undefined | Promise<undefined>;
  /**
   * Called once a stream is accepted: after every refusal check (`authorize`, `channels`, the
   * client limits, a closed emitter), once the connection is registered and its headers and first
   * bytes are written, before its `sse:hello`. Refused streams and `HEAD` requests never get here.
   * Events sent to the connection from here (`sse.to(`client:${clientId}`)`) reach it after its
   * `sse:hello`. Runs synchronously in the request's handling: keep it short. May be async (it is
   * not awaited); what it throws or rejects with goes to `onError`, and the stream goes on.
   * @defaultValue none
   */
  onConnect?: (info: ConnectionInfo<Req>) => void;
  /**
   * Called exactly once when a stream `onConnect` was called for ends, whatever the reason (its
   * `reason` says which): the client left, it was dropped for `maxBufferedBytes`, `close()`
   * ended it, the replay store failed. By then the connection is out of every channel and
   * `stats()`. Never called before `onConnect`, and never for a refused stream. Called
   * synchronously as the stream ends, for `close()` before it resolves; may be async (it is not
   * awaited); what it throws or rejects with goes to `onError`.
   * @defaultValue none
   */
  onDisconnect?: (info: DisconnectInfo<Req>) => void;
}

/**
 * Options of `close()`.
 *
 * @example
 * ```ts
 * const options: CloseOptions = { retryMs: 1000, drainMs: 10_000 };
 * await sse.close(options);
 * ```
 */
export interface CloseOptions {
  /**
   * The reconnection time sent to every stream before it is ended, in milliseconds: when clients
   * should come back (a restarted server, another instance).
   * @defaultValue the emitter's `retryMs`
   */
  retryMs?: number;
  /**
   * The window over which open streams are ended, in milliseconds: the k-th of n streams ends at
   * k/n of it, so n clients reconnect at n / (drainMs / 1000) per second instead of all at once.
   * New streams are refused during it; open ones keep receiving events until they end. Keep it
   * below the platform's shutdown grace period (Kubernetes' `terminationGracePeriodSeconds`).
   * @defaultValue `0`: every stream ends at once
   */
  drainMs?: number;
}

/** The emitter's options with every default applied. */
export interface ResolvedOptions {
  heartbeatMs: number;
  retryMs: number;
  maxBufferedBytes: number;
  maxClients: number;
  maxClientsPerUser: number;
  onError: (error: unknown) => void;
}

/**
 * Default {@link EmitterOptions.heartbeatMs}.
 *
 * @example
 * ```ts
 * createEmitter({ events, heartbeatMs: DEFAULT_HEARTBEAT_MS * 2 });
 * ```
 */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/**
 * Default {@link EmitterOptions.retryMs}.
 *
 * @example
 * ```ts
 * await sse.close({ retryMs: DEFAULT_RETRY_MS + Math.round(Math.random() * 2000) });
 * ```
 */
export const DEFAULT_RETRY_MS = 3000;
/**
 * Default {@link EmitterOptions.maxBufferedBytes}: 1 MiB.
 *
 * @example
 * ```ts
 * createEmitter({ events, maxBufferedBytes: 4 * DEFAULT_MAX_BUFFERED_BYTES });
 * ```
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;

function integer(name: string, value: number, min: number, max: number, infinity = false): number {
  const problem = numberOptionProblem(name, value, { min, max, integer: true, infinity });
  if (problem !== undefined) throw new SseServerError('invalid-option', problem);
  return value;
}

function logError(error: unknown): void {
  console.error('@app/sse-server:', error);
}

/**
 * `onError` made safe to call from anywhere: it runs in callbacks and promise handlers whose
 * failure would be an unhandled rejection or an uncaught exception, which end a Node process. A
 * reporter that throws is itself reported to the console, with the error it was given.
 */
function guarded(onError: (error: unknown) => void): (error: unknown) => void {
  return (error) => {
    try {
      onError(error);
    } catch (failure) {
      console.error('@app/sse-server: onError threw', failure);
      logError(error);
    }
  };
}

const HANDLER_FUNCTIONS = ['authorize', 'channels', 'onConnect', 'onDisconnect'] as const;

/**
 * Checks the options of `handler()` and `fetchHandler()`: each one given must be a function.
 *
 * @param options - the endpoint's options
 * @throws {@link SseServerError} `invalid-option` naming the option
 */
export function assertHandlerOptions<Req>(options: HandlerOptions<Req>): void {
  if (typeof options !== 'object' || options === null) {
    throw new SseServerError('invalid-option', 'handler options must be an object, like { authorize }');
  }
  for (const name of HANDLER_FUNCTIONS) {
    const value: unknown = options[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new SseServerError('invalid-option', `${name} must be a function, got ${typeof value}`);
    }
  }
}

/**
 * Applies the defaults and checks every option.
 *
 * @param options - the emitter's options
 * @throws {@link SseServerError} `invalid-option` for a value that cannot work
 */
export function resolveOptions<C extends EventCatalog>(options: EmitterOptions<C>): ResolvedOptions {
  if (typeof options !== 'object' || options === null || typeof options.events?.parse !== 'function') {
    throw new SseServerError(
      'invalid-option',
      'createEmitter() needs { events }: a catalog made by defineEvents()',
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new SseServerError('invalid-option', 'onError must be a function');
  }
  const { meter } = options;
  if (meter !== undefined && meter !== null && typeof meter.addBatchObservableCallback !== 'function') {
    throw new SseServerError('invalid-option', 'meter must be an OpenTelemetry Meter (or null for none)');
  }
  const max = Number.MAX_SAFE_INTEGER;
  return {
    heartbeatMs: integer('heartbeatMs', options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, 0, MAX_TIMER_DELAY_MS),
    retryMs: integer('retryMs', options.retryMs ?? DEFAULT_RETRY_MS, 0, max),
    maxBufferedBytes: integer(
      'maxBufferedBytes',
      options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      1,
      max,
    ),
    maxClients: integer('maxClients', options.maxClients ?? Number.POSITIVE_INFINITY, 0, max, true),
    maxClientsPerUser: integer(
      'maxClientsPerUser',
      options.maxClientsPerUser ?? Number.POSITIVE_INFINITY,
      0,
      max,
      true,
    ),
    onError: options.onError === undefined ? logError : guarded(options.onError),
  };
}

/**
 * Applies the defaults of `close()` and checks its options.
 *
 * @param options - what `close()` was given
 * @param retryMs - the emitter's `retryMs`, the default
 * @returns the settings, or the `invalid-option` error that refuses them
 */
export function resolveCloseOptions(
  options: CloseOptions,
  retryMs: number,
): { retryMs: number; drainMs: number } | SseServerError {
  const settings = { retryMs: options.retryMs ?? retryMs, drainMs: options.drainMs ?? 0 };
  for (const [name, max] of [
    ['retryMs', Number.MAX_SAFE_INTEGER],
    ['drainMs', MAX_TIMER_DELAY_MS],
  ] as const) {
    const problem = numberOptionProblem(`close({ ${name} })`, settings[name], { min: 0, max, integer: true });
    if (problem !== undefined) return new SseServerError('invalid-option', problem);
  }
  return settings;
}
