// The public shapes that describe one connection to the endpoint's hooks (`channels`, `onConnect`,
// `onDisconnect`). Types only, importing nothing: options, connections and hooks all depend on them.

/**
 * The identity of a connection being opened, passed to `channels`.
 *
 * @example
 * ```ts
 * const channels = (_req: Request, { userId }: ConnectionIdentity) => (userId ? [`team:${teamOf(userId)}`] : []);
 * ```
 */
export interface ConnectionIdentity {
  /** The connection's ID (it is in `client:<clientId>`). */
  clientId: string;
  /** The user `authorize` returned, if any (it is in `user:<userId>`). */
  userId: string | undefined;
}

/**
 * What `onConnect` is told about a stream it accepted. `Req` is the endpoint's request type
 * (Express's `Request`, `IncomingMessage`, `Http2ServerRequest` or a fetch `Request`).
 *
 * @example
 * ```ts
 * const onConnect = ({ clientId, userId, channels }: ConnectionInfo<express.Request>) =>
 *   log.info({ clientId, userId, channels }, 'stream open');
 * ```
 */
export interface ConnectionInfo<Req> extends ConnectionIdentity {
  /**
   * Every channel the connection is in: `client:<clientId>`, `user:<userId>` when authorised, and
   * those of `channels()`; at disconnect, including what `subscribe`/`unsubscribe` changed since.
   * A copy: changing it changes nothing.
   */
  readonly channels: readonly string[];
  /** The request that opened the stream, as the endpoint received it. */
  readonly request: Req;
}

/**
 * Why an accepted stream ended.
 *
 * - `client-gone`: the client went away (closed the tab, lost the network), or other code ended or
 *   destroyed the response.
 * - `slow-consumer`: its unsent bytes passed `maxBufferedBytes`; the client resumes when it reconnects.
 * - `closed`: `close()` ended it.
 * - `store-failed`: the replay store could not read the history the client resumes from; the
 *   stream was ended so that the client tries again.
 *
 * @example
 * ```ts
 * const onDisconnect = ({ reason }: DisconnectInfo<Request>) => metrics.increment(`sse.end.${reason}`);
 * ```
 */
export type DisconnectReason = 'client-gone' | 'slow-consumer' | 'closed' | 'store-failed';

/**
 * What `onDisconnect` is told about a stream that ended.
 *
 * @example
 * ```ts
 * const onDisconnect = ({ userId, reason }: DisconnectInfo<express.Request>) =>
 *   log.info({ userId, reason }, 'stream closed');
 * ```
 */
export interface DisconnectInfo<Req> extends ConnectionInfo<Req> {
  /** Why it ended. */
  readonly reason: DisconnectReason;
}

/** What an accepted connection keeps to report its end: nothing at all when no `onDisconnect` was given. */
export interface DisconnectHook {
  readonly request: unknown;
  onDisconnect(info: DisconnectInfo<unknown>): void;
}
