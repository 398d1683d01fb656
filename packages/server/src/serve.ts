import { EVENT_STREAM_CONTENT_TYPE, parseEventId } from '@app/sse-protocol';
import { resolveIdentity } from './authorize';
import { resolveChannels } from './channels';
import { createConnection } from './connection';
import { detach, endConnection } from './connection-end';
import { ConnectionEvents } from './connection-events';
import { reportConnect } from './connection-hooks';
import type { ConnectionIdentity } from './connection-info';
import type { EmitterCore } from './emitter-core';
import { SseServerError } from './errors';
import type { HandlerOptions } from './options';
import { badRequest, methodNotAllowed, refusal, refusalFor, unavailable } from './refusals';
import { replay } from './replay';
import { timeStore } from './telemetry';
import type { Refusal, StreamTransport } from './transport';

/** What an adapter reads from a request before handing it to the core. */
export interface StreamRequest {
  /** The `Last-Event-ID` header, else the `lastEventId` query parameter; `null` when neither is set. */
  lastEventId: string | null;
  /**
   * How the response travels, which decides its framing headers. `keep-alive`: an HTTP/1.1 request
   * that did not ask to close, sent `Connection: keep-alive`. `close`: any other HTTP/1.x response,
   * or one whose HTTP layer is not ours (a fetch-style response): no `Connection` header (it means
   * nothing to HTTP/1.0, whose stream ends with the connection). `http2`: HTTP/2 forbids
   * `Connection`, and `X-Accel-Buffering` is left out too (nginx proxies to HTTP/1.x upstreams only).
   */
  framing: StreamFraming;
  /**
   * The request method: `GET` opens a stream, `HEAD` gets its headers only, any other is answered
   * with 405 (a handler mounted on `node:http` directly, or with `app.all`, sees every method).
   */
  method: string;
}

/** How a response travels, see {@link StreamRequest.framing}. */
export type StreamFraming = 'keep-alive' | 'close' | 'http2';

const HTTP2_HEADERS = {
  'Content-Type': `${EVENT_STREAM_CONTENT_TYPE}; charset=utf-8`,
  // no-transform: proxies and compression middleware must not rewrite or hold the stream.
  'Cache-Control': 'no-cache, no-transform',
};
// nginx buffers responses it proxies (over HTTP/1.x) unless told not to.
const CLOSE_HEADERS = { ...HTTP2_HEADERS, 'X-Accel-Buffering': 'no' };
/**
 * The headers of a stream, by framing. Over HTTP/2 every header costs each idle stream memory
 * as long as it is open: Node keeps the sent header object (a hash table whose size steps up at
 * five entries, ~190 bytes a stream), so nothing without effect there is sent.
 */
const STREAM_HEADERS: Readonly<Record<StreamFraming, Readonly<Record<string, string>>>> = {
  'keep-alive': Object.freeze({ ...CLOSE_HEADERS, Connection: 'keep-alive' }),
  close: Object.freeze(CLOSE_HEADERS),
  http2: Object.freeze(HTTP2_HEADERS),
};

/**
 * Opens one stream, or refuses it before any stream byte: 405 for a method other than GET and
 * HEAD, 400 for a malformed `Last-Event-ID`, 401 or the thrown status from `authorize`/`channels`,
 * 503 while closing (draining or closed) or over a client limit. A `HEAD` request gets the same answer without a
 * stream. Resolves once the stream is open or refused; the replay goes on in the background.
 * Only a stream that passed every check reaches `onConnect`, and then `onDisconnect` once.
 *
 * @param req - the framework's request, passed to `authorize`, `channels` and the hooks
 * @param request - what the adapter read from it
 * @param transport - the response
 * @param handler - `authorize`, `channels`, `onConnect` and `onDisconnect`
 */
export async function serveStream<Req>(
  core: EmitterCore,
  req: Req,
  request: StreamRequest,
  transport: StreamTransport,
  handler: HandlerOptions<Req>,
): Promise<void> {
  const refuse = (refusal: Refusal): void => {
    // Counted once written: a refusal whose headers cannot be written is counted by answerFailure.
    transport.refuse(refusal);
    core.telemetry.refused[refusal.reason] += 1;
  };
  const { lastEventId, method } = request;
  // Methods are case-sensitive (RFC 9110, section 9.1): `get` is not GET.
  if (method !== 'GET' && method !== 'HEAD') return refuse(methodNotAllowed());
  if (lastEventId !== null && parseEventId(lastEventId) === undefined) {
    refuse(badRequest('Last-Event-ID must be an event ID of this server, <epoch>-<seq>'));
    return;
  }
  if (core.draining) return refuse(unavailable(core, 'the server is shutting down', 'shutdown'));

  const clientId = globalThis.crypto.randomUUID();
  let identity: ConnectionIdentity;
  let channels: string[];
  let from: string;
  try {
    identity = await resolveIdentity(req, clientId, handler.authorize);
    channels = await resolveChannels(req, identity, handler.channels);
  } catch (error) {
    refuse(refusalFor(error, core.options.onError));
    return;
  }
  try {
    from = lastEventId ?? (await timeStore(core.telemetry, 'head', () => core.store.head()));
    if (parseEventId(from) === undefined) {
      throw new TypeError(`head() answered ${JSON.stringify(from)}, which is not an event ID`);
    }
  } catch (error) {
    core.options.onError(
      new SseServerError('store-failed', 'the replay store could not tell its head', { cause: error }),
    );
    refuse(unavailable(core, 'the event history is unavailable', 'store-unavailable'));
    return;
  }

  // From here to `open` nothing awaits, so the limits checked are the limits applied.
  if (transport.aborted) return;
  if (core.draining) return refuse(unavailable(core, 'the server is shutting down', 'shutdown'));
  const { registry, options } = core;
  if (registry.connections.size >= options.maxClients) {
    return refuse(unavailable(core, 'too many open streams', 'limit'));
  }
  const { userId } = identity;
  if (userId !== undefined && (registry.users.get(userId) ?? 0) >= options.maxClientsPerUser) {
    return refuse(unavailable(core, 'too many open streams for this user', 'limit'));
  }

  const headers = STREAM_HEADERS[request.framing];
  // HEAD gets what GET would, refusals included, but no body: nothing to register or replay.
  if (method === 'HEAD') return transport.head(headers);

  // Registered before the replay is read: events published meanwhile are held in `pending`, so
  // the live stream continues exactly where the replay ends.
  const connection = createConnection(clientId, userId, channels, transport);
  registry.add(connection);
  core.heartbeat.update(registry.connections.size);
  try {
    transport.open(headers, new ConnectionEvents(core, connection));
  } catch (error) {
    detach(core, connection);
    throw error;
  }
  core.counters.bytes += core.prelude.byteLength;
  transport.write(core.prelude);
  // Accepted: every refusal check passed, the connection is registered and its headers are out.
  core.telemetry.opened[transport.adapter] += 1;
  reportConnect(core, connection, req, handler);
  replay(core, connection, from, lastEventId !== null).catch((error: unknown) => {
    // Only a broken store answer gets here (for example a head that is not an event ID).
    core.options.onError(error);
    endConnection(core, connection, 'store-failed');
  });
}

/**
 * Answers a stream that failed under its adapter: `serveStream` answers every refusal itself, so
 * only a refusal that could not be written gets here (headers an `httpError()` made invalid). The
 * error goes to `onError` and is counted; the client gets a plain 500, or, when even that cannot be
 * written, the stream is dropped.
 *
 * @param transport - the failed stream's transport
 * @param error - what `serveStream` rejected with
 */
export function answerFailure(core: EmitterCore, transport: StreamTransport, error: unknown): void {
  core.options.onError(error);
  core.telemetry.refused.error += 1;
  try {
    transport.refuse(refusal(500, 'Internal Server Error'));
  } catch {
    transport.destroy();
  }
}
