import type { EventCatalog, EventInput, EventName } from '@app/sse-protocol';
import { metrics } from '@opentelemetry/api';
import { createFetchHandler } from './adapters/fetch';
import { createNodeHandler, type NodeHandler, type NodeRequest } from './adapters/node-http';
import {
  createHttp2StreamHandler,
  type Http2ServerStream,
  type Http2StreamHandler,
  type Http2StreamRequest,
} from './adapters/node-http2-stream';
import { assertChannel } from './channels';
import { fanOut, heartbeatTick } from './delivery';
import { shutDown } from './drain';
import type { EmitterCore } from './emitter-core';
import { SseServerError } from './errors';
import { heartbeatFrame, preludeFrame } from './frames';
import { createGreeting } from './greeting';
import { checkHealth, type EmitterHealth } from './health';
import { createHeartbeat } from './heartbeat';
import { connectLiveFeed } from './live-feed';
import { createMemoryStore } from './memory-store';
import { type EmitterMetrics, metricsOf, statsOf } from './metrics';
import { bindMeter } from './opentelemetry';
import {
  assertHandlerOptions,
  type CloseOptions,
  type EmitterOptions,
  type HandlerOptions,
  resolveCloseOptions,
  resolveOptions,
} from './options';
import { createMetricsHandler } from './prometheus';
import { createPublisher, type PublishResult } from './publish';
import { createPublishOrder } from './publish-order';
import { createRegistry } from './registry';
import { createCounters, type EmitterStats } from './stats';
import { createTelemetry } from './telemetry';

/**
 * Sends events to the connections in one or more channels; made by {@link Emitter.to}.
 *
 * @example
 * ```ts
 * const room: ChannelSender<typeof events> = sse.to('room:42');
 * await room.send('notification', { message: 'Meeting in 5 minutes', severity: 'info' });
 * ```
 */
export interface ChannelSender<C extends EventCatalog> {
  /**
   * Validates `data` against the catalog, stores the event and sends it to every connection in the
   * channels (once per connection, also when it is in several of them).
   *
   * @param name - a catalog event name
   * @param data - its payload (the schema's input type)
   * @throws `EventValidationError` (from `@app/sse-protocol`) for an invalid payload or unknown
   * name, before anything is stored or sent; {@link SseServerError} `closed`, `serialization-failed`
   * or `store-failed`
   *
   * @example
   * ```ts
   * await sse.to('user:u1', 'user:u2').send('notification', { message: 'Shipped', severity: 'info' });
   * ```
   */
  send<N extends EventName<C>>(name: N, data: EventInput<C, N>): Promise<PublishResult>;
}

/** A typed Server-Sent Events emitter, made by {@link createEmitter}. */
export interface Emitter<C extends EventCatalog> {
  /**
   * The catalog the emitter validates against.
   *
   * @example
   * ```ts
   * app.get('/events.schema.json', (_req, res) => res.json(toJSONSchema(sse.events)));
   * ```
   */
  readonly events: C;
  /**
   * A request handler for Express, `node:http` and `node:http2`'s compatibility API. `GET` opens a
   * stream, `HEAD` gets its headers only; any other method is answered with 405 and
   * `Allow: GET, HEAD` (a handler mounted on `node:http` directly, or with `app.all`, sees them all).
   *
   * @param options - `authorize`, `channels`, `onConnect` and `onDisconnect` for this endpoint
   * @defaultValue `{}` (anyone, anonymously)
   * @throws {@link SseServerError} `invalid-option` when one of them is not a function
   *
   * @example
   * ```ts
   * app.get('/events', sse.handler({ authorize: (req) => (req.user ? { userId: req.user.id } : false) }));
   * http.createServer(sse.handler({ onConnect: ({ clientId }) => console.log('open', clientId) })).listen(8080);
   * ```
   */
  handler<Req extends NodeRequest = NodeRequest>(options?: HandlerOptions<Req>): NodeHandler<Req>;
  /**
   * Answers a web-standard `Request` with a streaming `Response` (Hono, Next.js route handlers,
   * Bun, Deno, workers). Refusals are ordinary responses (400, 401, 403, 405, 503).
   *
   * @param request - the incoming request; its `signal` ending closes the stream
   * @param options - `authorize`, `channels`, `onConnect` and `onDisconnect` @defaultValue `{}`
   * @throws (rejects with) {@link SseServerError} `invalid-option` when one of them is not a function
   *
   * @example
   * ```ts
   * export const GET = (request: Request) => sse.fetchHandler(request, { authorize });
   * ```
   */
  fetchHandler(request: Request, options?: HandlerOptions<Request>): Promise<Response>;
  /**
   * A `stream` event listener for a `node:http2` server: the same streams as `handler()` on the
   * compatibility API, without the `Http2ServerRequest` and `Http2ServerResponse` Node makes and
   * keeps for every stream there (about 2.3 KB of heap per open stream, and a wrapper around every
   * write). The hooks get an {@link Http2StreamRequest}: the stream, its headers, method and path.
   *
   * @param options - `authorize`, `channels`, `onConnect` and `onDisconnect` for this endpoint
   * @defaultValue `{}` (anyone, anonymously)
   * @throws {@link SseServerError} `invalid-option` when one of them is not a function
   *
   * @example
   * ```ts
   * const events = sse.http2StreamHandler({ authorize: (req) => verify(req.headers.authorization) });
   * server.on('stream', (stream, headers) => {
   *   if (headers[':path']?.startsWith('/events')) events(stream, headers);
   *   else stream.respond({ ':status': 404 }, { endStream: true });
   * });
   * ```
   */
  http2StreamHandler<Stream extends Http2ServerStream = Http2ServerStream>(
    options?: HandlerOptions<Http2StreamRequest<Stream>>,
  ): Http2StreamHandler<Stream>;
  /**
   * Sends an event to every open stream.
   *
   * @param name - a catalog event name
   * @param data - its payload (the schema's input type)
   * @throws `EventValidationError` for an invalid payload or unknown name, before anything is stored
   * or sent; {@link SseServerError} `closed`, `serialization-failed` or `store-failed`
   *
   * @example
   * ```ts
   * const { id, delivered } = await sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
   * ```
   */
  broadcast<N extends EventName<C>>(name: N, data: EventInput<C, N>): Promise<PublishResult>;
  /**
   * Targets channels: `client:<clientId>`, `user:<userId>`, or any joined through `channels` or
   * `subscribe`.
   *
   * @param channel - a channel
   * @param more - more channels; a connection in several gets the event once
   * @throws {@link SseServerError} `invalid-channel` for an empty or non-string channel
   *
   * @example
   * ```ts
   * await sse.to('user:u1').send('notification', { message: 'Shipped', severity: 'info' });
   * ```
   */
  to(channel: string, ...more: string[]): ChannelSender<C>;
  /**
   * Adds an open connection to a channel.
   *
   * @param clientId - the connection's ID (`clientId` of its `sse:hello`)
   * @param channel - the channel
   * @returns `false` when no such connection is open or it already was in the channel
   *
   * @example
   * ```ts
   * sse.subscribe(clientId, 'room:42');
   * ```
   */
  subscribe(clientId: string, channel: string): boolean;
  /**
   * Removes an open connection from a channel.
   *
   * @param clientId - the connection's ID
   * @param channel - the channel
   * @returns `false` when no such connection is open or it was not in the channel
   *
   * @example
   * ```ts
   * sse.unsubscribe(clientId, 'room:42');
   * ```
   */
  unsubscribe(clientId: string, channel: string): boolean;
  /**
   * The stream's position now: the ID of the newest event the replay store holds (every publish
   * that resolved before this call is at or before it). A REST endpoint returns it beside its
   * state as `{ state, lastEventId }`, and the client starts there with
   * `createClient({ lastEventId })`, so no event between the snapshot and the first connection is
   * lost. Read the position first and the state second: an event published in between then
   * arrives once more on the stream (apply events idempotently, for example keyed by ID), and
   * none can be missed.
   *
   * @returns the newest event ID (`<epoch>-0` while nothing was published)
   * @example
   * ```ts
   * app.get('/api/orders', async (req, res) => {
   *   const lastEventId = await sse.head();
   *   res.json({ orders: await db.orders.list(), lastEventId });
   * });
   * ```
   */
  head(): Promise<string>;
  /**
   * A snapshot of connections and counters; see {@link EmitterStats}.
   *
   * @example
   * ```ts
   * const { clients, slowDisconnects } = sse.stats();
   * ```
   */
  stats(): EmitterStats;
  /**
   * Everything the emitter measures (see {@link EmitterMetrics}): what it exports through
   * OpenTelemetry and {@link Emitter.metricsHandler}, as numbers to read in code.
   *
   * @example
   * ```ts
   * const { refused } = sse.metrics();
   * if (refused.limit > 0) console.warn('streams refused over maxClients');
   * ```
   */
  metrics(): EmitterMetrics;
  /**
   * An Express / `node:http` handler that answers with the metrics in the Prometheus text format,
   * for teams that scrape directly (label values come from closed sets: no user, client or
   * channel). Mount it where your scraper looks, behind your own access control. With the fetch
   * adapter, serve `toPrometheusText(sse.metrics())`.
   *
   * @example
   * ```ts
   * app.get('/metrics', sse.metricsHandler());
   * ```
   */
  metricsHandler(): NodeHandler<NodeRequest>;
  /**
   * Whether the emitter accepts streams and its store answers: for readiness probes (a draining
   * instance reports `ready: false`, so the load balancer stops sending it streams).
   *
   * @example
   * ```ts
   * app.get('/ready', async (_req, res) => {
   *   const health = await sse.health();
   *   res.status(health.ready ? 200 : 503).json(health);
   * });
   * ```
   */
  health(): Promise<EmitterHealth>;
  /**
   * Closes gracefully. New streams are refused at once with 503 and `Retry-After`. With `drainMs`,
   * the open streams are ended progressively over that window (each after a `retry:` and what it
   * was sent), so their clients come back to the next instance at an even rate, and they keep
   * receiving what is published until they end; without it, they all end now. Then publishing
   * rejects with `closed` and the store is closed. Resolves when the last stream ended; calling it
   * again returns the same promise.
   *
   * @param options - `retryMs` @defaultValue the emitter's `retryMs`; `drainMs` @defaultValue `0`
   * @throws {@link SseServerError} `invalid-option` for a negative or non-integer option
   *
   * @example
   * ```ts
   * process.on('SIGTERM', async () => {
   *   await sse.close({ drainMs: 10_000, retryMs: 500 });
   *   server.close();
   * });
   * ```
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Creates a typed emitter: validates every outgoing event against the catalog, gives it an ID from
 * the replay store, encodes it once and writes the same bytes to every connection entitled to it.
 *
 * @param options - see {@link EmitterOptions}; only `events` is required
 * @throws {@link SseServerError} `invalid-option` for an option that cannot work
 *
 * @example
 * ```ts
 * const sse = createEmitter({ events, replay: { maxEvents: 1000 }, heartbeatMs: 15_000 });
 * app.get('/events', sse.handler({ authorize: (req) => ({ userId: req.user.id }) }));
 * await sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
 * ```
 */
export function createEmitter<C extends EventCatalog>(options: EmitterOptions<C>): Emitter<C> {
  const resolved = resolveOptions(options);
  const catalog = options.events;
  const core: EmitterCore = {
    catalog,
    options: resolved,
    store: options.store ?? createMemoryStore(options.replay),
    registry: createRegistry(),
    counters: createCounters(),
    telemetry: createTelemetry(),
    heartbeat: createHeartbeat(resolved.heartbeatMs, (slice, slices) => heartbeatTick(core, slice, slices)),
    greeting: createGreeting(catalog, resolved.heartbeatMs, options.compatibleWith),
    prelude: preludeFrame(resolved.retryMs),
    ping: heartbeatFrame(),
    draining: false,
    closed: false,
  };

  // A shared store's feed brings every instance's events, this one's included, in one order: the
  // fan-out follows it. A store of this process alone is fanned out as its appends settle, in the
  // order they were made.
  const feed = core.store.subscribe === undefined ? undefined : connectLiveFeed(core, core.store.subscribe);
  const order = createPublishOrder((event) => (core.closed ? 0 : fanOut(core, event)));
  const publish = createPublisher(core, feed, order);
  const meter = options.meter === undefined ? metrics.getMeter('@app/sse-server') : options.meter;
  const unbindMeter = meter === null ? undefined : bindMeter(core, meter);

  let closing: Promise<void> | undefined;

  function membership(clientId: string, channel: string, join: boolean): boolean {
    assertChannel(channel);
    const connection = core.registry.connections.get(clientId);
    if (connection === undefined) return false;
    return join ? core.registry.join(connection, channel) : core.registry.leave(connection, channel);
  }

  return {
    events: catalog,
    handler(handlerOptions = {}) {
      assertHandlerOptions(handlerOptions);
      return createNodeHandler(core, handlerOptions);
    },
    http2StreamHandler(handlerOptions = {}) {
      assertHandlerOptions(handlerOptions);
      return createHttp2StreamHandler(core, handlerOptions);
    },
    async fetchHandler(request, handlerOptions = {}) {
      assertHandlerOptions(handlerOptions);
      return createFetchHandler(core, handlerOptions)(request);
    },
    broadcast: (name, data) => publish(name, data, null),
    to(channel, ...more) {
      assertChannel(channel);
      for (const extra of more) assertChannel(extra);
      const channels = more.length === 0 ? [channel] : [...new Set([channel, ...more])];
      return { send: (name, data) => publish(name, data, channels) };
    },
    subscribe: (clientId, channel) => membership(clientId, channel, true),
    unsubscribe: (clientId, channel) => membership(clientId, channel, false),
    head: () => core.store.head(),
    stats: () => statsOf(core),
    metrics: () => metricsOf(core),
    metricsHandler: () => createMetricsHandler(core),
    health: () => checkHealth(core),
    close(closeOptions = {}) {
      if (closing !== undefined) return closing;
      const settings = resolveCloseOptions(closeOptions, resolved.retryMs);
      if (settings instanceof SseServerError) return Promise.reject(settings);
      // The meter export ends last, once every stream has ended: its final counts are then kept.
      closing = shutDown(core, () => feed?.stop(), settings.retryMs, settings.drainMs).finally(() =>
        unbindMeter?.(),
      );
      return closing;
    },
  };
}
