import type { Connection } from './connection';
import type { EmitterCore } from './core';
import type { ConnectionIdentity, HandlerOptions } from './options';

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

/**
 * Runs one hook: what it throws, or the promise it returns rejects with, goes to `onError` and no
 * further (the stream and the server go on).
 */
function run<Info>(core: EmitterCore, hook: (info: Info) => void, info: Info): void {
  try {
    const result: unknown = hook(info);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, core.options.onError);
    }
  } catch (error) {
    core.options.onError(error);
  }
}

/**
 * Reports a stream that was accepted: registered, its headers and first bytes written. Arms
 * `onDisconnect` first, so a stream that ends while `onConnect` runs is still reported.
 *
 * @param core - the emitter
 * @param connection - the new connection
 * @param request - the request that opened it
 * @param handler - the endpoint's options
 */
export function reportConnect<Req>(
  core: EmitterCore,
  connection: Connection,
  request: Req,
  handler: HandlerOptions<Req>,
): void {
  const { onConnect, onDisconnect } = handler;
  if (onDisconnect !== undefined) {
    connection.disconnectHook = { request, onDisconnect };
  }
  if (onConnect === undefined) return;
  run(core, onConnect, {
    clientId: connection.id,
    userId: connection.userId,
    channels: [...connection.channels],
    request,
  });
}

/**
 * Reports the end of a connection to its `onDisconnect`, once: the hook is disarmed first (which
 * also lets go of the request).
 *
 * @param core - the emitter
 * @param connection - a connection just detached
 * @param reason - why it ended
 */
export function reportDisconnect(core: EmitterCore, connection: Connection, reason: DisconnectReason): void {
  const hook = connection.disconnectHook;
  if (hook === null) return;
  connection.disconnectHook = null;
  run(core, hook.onDisconnect, {
    clientId: connection.id,
    userId: connection.userId,
    channels: [...connection.channels],
    request: hook.request,
    reason,
  });
}
