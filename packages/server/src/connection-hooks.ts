import type { Connection } from './connection';
import type { DisconnectReason } from './connection-info';
import type { EmitterCore } from './emitter-core';
import type { HandlerOptions } from './options';

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
 * @param connection - a connection just detached
 * @param reason - why it ended
 */
export function reportDisconnect(core: EmitterCore, connection: Connection, reason: DisconnectReason): void {
  core.telemetry.closed[reason] += 1;
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
