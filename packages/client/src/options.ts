import {
  DEFAULT_MAX_BUFFER_SIZE,
  type EventCatalog,
  type NumberRange,
  numberOptionProblem,
} from '@app/sse-protocol';
import type { BackoffConfig, BackoffJitter } from './backoff';
import type { ClientMetrics } from './client-api';
import { SseClientError } from './errors';
import { DEFAULT_BACKOFF, DEFAULT_MAX_EVENT_ID_LENGTH, DEFAULT_WATCHDOG } from './option-defaults';
import { UNSENDABLE_IN_ID } from './request';
import type { EventSourceConstructor, FetchLike, Resolvable } from './runtime-types';
import { resolveShare, type ShareOption } from './share-group';

/**
 * Options of `createClient`. Every option but `url` and `events` has a default; see the
 * [WHATWG HTML "Server-sent events" section](https://html.spec.whatwg.org/multipage/server-sent-events.html)
 * for the wire rules the client follows.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```ts
 * const options: ClientOptions<typeof events> = {
 *   url: '/events',
 *   events,
 *   headers: async () => ({ authorization: `Bearer ${await auth.token()}` }),
 *   backoff: { initialMs: 500, maxMs: 60_000 },
 *   pauseWhenHidden: true,
 * };
 * const client = createClient(options);
 * ```
 */
export interface ClientOptions<C extends EventCatalog> {
  /**
   * The event stream's URL, or a function called on every connection attempt (to follow a
   * server that moved, or to add a fresh query token). Redirects are followed, and every
   * reconnection goes to this URL again, as an `EventSource` does. A relative URL is resolved
   * against `baseUrl`, else the page's location; outside browsers, give `baseUrl` or an absolute URL.
   * @defaultValue none: required
   */
  url: Resolvable<string | URL>;
  /**
   * The absolute URL a relative `url` is resolved against, at every connection attempt. Needed
   * for a relative `url` where there is no page (Node, Deno, Bun, workers without a location):
   * there, without it, connecting fails with a fatal `invalid-option` error. A `fetch` option is
   * handed a relative `url` as is when nothing resolves it (it may resolve URLs itself).
   * @defaultValue `globalThis.location.href` at each attempt, where there is one (browsers)
   *
   * @example
   * ```ts
   * createClient({ url: '/events', baseUrl: 'https://api.example.com', events }); // Node, Deno, Bun
   * ```
   */
  baseUrl?: string | URL;
  /**
   * The event catalog: names the events, types the handlers, validates the payloads.
   * @defaultValue none: required
   */
  events: C;
  /**
   * Request headers, or a function called on every connection attempt so that a refreshed token
   * is used. `Accept: text/event-stream` (unless set here) and `Last-Event-ID` are added. Needs
   * the `fetch` transport. In browsers, a header that is not CORS-safelisted (such as
   * `Authorization`) makes a cross-origin connection send a preflight first.
   * @defaultValue none: only `Accept` and, to resume, `Last-Event-ID`
   */
  headers?: Resolvable<HeadersInit>;
  /**
   * The request method. `POST` with a `body` opens the stream the way LLM and search APIs do; every
   * reconnection sends the same request again, with `Last-Event-ID`, and follows the same backoff
   * and resume rules. Needs the `fetch` transport (an `EventSource` can only `GET`).
   * @defaultValue `'GET'`
   */
  method?: 'GET' | 'POST';
  /**
   * The request body for `method: 'POST'` (any `BodyInit`: a string, `URLSearchParams`, `FormData`,
   * a `Blob`), or a function called on every connection attempt (a stream body can be read only
   * once: give a function that makes a new one). Set `Content-Type` in `headers` for a JSON string.
   * @defaultValue none
   */
  body?: Resolvable<BodyInit>;
  /**
   * The `fetch` credentials mode; with the `eventsource` transport, `'include'` sets
   * `withCredentials`. Left out of the request when not set (some runtimes reject the field).
   * @defaultValue the runtime's default (`'same-origin'`)
   */
  credentials?: RequestCredentials;
  /**
   * The `fetch` to use (for tests, proxies, instrumentation).
   * @defaultValue `globalThis.fetch` at each attempt
   */
  fetch?: FetchLike;
  /**
   * `'fetch'` reads the stream through `fetch` (custom headers, status codes, heartbeats, runs where
   * no `EventSource` exists); `'eventsource'` uses the native `EventSource`, which the client
   * controls: it closes it on every error and reconnects itself with backoff, resuming with the
   * `lastEventId` query parameter.
   * @defaultValue `'fetch'`
   */
  transport?: 'fetch' | 'eventsource';
  /**
   * The `EventSource` constructor for the `eventsource` transport.
   * @defaultValue `globalThis.EventSource`
   */
  EventSource?: EventSourceConstructor;
  /**
   * Reconnection backoff: the delay before attempt `n` (0-based) is the server's `retry:` value
   * once received (a least wait, which `maxMs` never cuts), plus a random backoff in
   * `[0, min(maxMs, base * factor ^ n))` with full jitter, where `base` is that `retry:` value (at
   * least 100 ms), else `initialMs`. `n` counts the attempts since the
   * last connection that stayed open `HEALTHY_AFTER_MS` (5 s): events alone do not reset it, so a
   * server that delivers an event and drops is still backed off from.
   * @defaultValue `{ initialMs: 1000, maxMs: 30000, factor: 2, jitter: 'full' }`
   */
  backoff?: Partial<BackoffConfig>;
  /**
   * How many reconnection attempts in a row may fail; the next failure is a fatal
   * `retries-exhausted`. `0` never reconnects. A connection that ends before it stayed open
   * `HEALTHY_AFTER_MS` (5 s) counts as failed, however many events it delivered.
   * @defaultValue `Infinity`
   */
  maxRetries?: number;
  /**
   * The last event ID to resume from on the first connection.
   * @defaultValue `''` (start live)
   */
  lastEventId?: string;
  /**
   * The longest event ID the client keeps, in UTF-16 code units (`string.length`). An `id:` field
   * longer than this is ignored, as the spec ignores one holding NUL: the event is still
   * delivered, with the last event ID before it, but that ID is not kept to resume, not sent as
   * `Last-Event-ID`, and not remembered to drop duplicates. Reported once per connection as
   * `oversized-id`. This bounds what a hostile or broken server can make the client hold. The
   * default matches `@app/sse-server`'s own limit; raise it for a server with longer IDs.
   * @defaultValue `256`
   */
  maxEventIdLength?: number;
  /**
   * The longest line, and the longest event's data, the stream parser holds, in UTF-16 code units.
   * Past it the parser discards that line or event and reports it: `onError` gets a `parse` error
   * whose `cause` has the code `buffer-overflow`, and the stream goes on with the next event. This
   * bounds the memory a server that never ends a line can make the client hold. Applies to the
   * `fetch` transport (a native `EventSource` keeps its own buffers).
   * @defaultValue `16 * 1024 * 1024` (the protocol's `DEFAULT_MAX_BUFFER_SIZE`)
   */
  maxBufferSize?: number;
  /**
   * Validate every payload against the catalog before handlers see it. With `false`, payloads are
   * only parsed as JSON and handed over as they came: the handler types are then a promise the
   * server must keep (and schemas that transform or default values see no effect).
   * @defaultValue `true`
   */
  validate?: boolean;
  /**
   * Connect at creation; otherwise call `connect()`.
   * @defaultValue `true`
   */
  autoConnect?: boolean;
  /**
   * Drop a connection that stays silent (not even a heartbeat comment) for this many of the
   * heartbeat intervals the server announces in `sse:hello`, and reconnect. `false` turns it off.
   * Needs the `fetch` transport (an `EventSource` hides heartbeats).
   * @defaultValue `3`
   */
  watchdog?: number | false;
  /**
   * Close the connection while `document.hidden` and reconnect (resuming) when the page shows.
   * With `share`, the group's stream closes only while every tab of the group is hidden.
   * @defaultValue `false`
   */
  pauseWhenHidden?: boolean;
  /**
   * Share one stream between the tabs (and workers) of this origin that create a client with the
   * same URL, request and share key: one of them holds the stream, the others receive its events
   * and behave as if they held their own. Where the runtime cannot share (no `BroadcastChannel`),
   * each client keeps its own stream. `true` needs a static `url`, `headers` and `body` (they tell
   * who the stream is for); with functions, give `{ key }` naming whose stream it is (a user ID).
   * See the README's "Sharing one stream between tabs".
   * @defaultValue `false`
   */
  share?: ShareOption;
  /**
   * Uniform random numbers in `[0, 1)` for the jitter.
   * @defaultValue `Math.random`
   */
  random?: () => number;
  /**
   * Called each time a counter of `metrics()` grows, with its name and by how much: to feed an
   * OpenTelemetry meter or your analytics as things happen rather than by polling. What it throws
   * goes to `onError` as `handler-threw`.
   * @defaultValue none
   */
  onMetric?: (name: keyof ClientMetrics, increment: number) => void;
}

/** {@link ClientOptions} with every default filled in and every value checked. */
export interface ResolvedOptions<C extends EventCatalog> {
  url: Resolvable<string | URL>;
  /** The explicit `baseUrl`, as an absolute URL string; `undefined`: the page's location, if any. */
  baseUrl: string | undefined;
  events: C;
  headers: Resolvable<HeadersInit> | undefined;
  method: 'GET' | 'POST';
  body: Resolvable<BodyInit> | undefined;
  credentials: RequestCredentials | undefined;
  fetch: FetchLike | undefined;
  transport: 'fetch' | 'eventsource';
  EventSource: EventSourceConstructor | undefined;
  backoff: BackoffConfig;
  maxRetries: number;
  lastEventId: string;
  maxEventIdLength: number;
  maxBufferSize: number;
  validate: boolean;
  autoConnect: boolean;
  /** The watchdog multiplier; 0 when off. */
  watchdog: number;
  pauseWhenHidden: boolean;
  random: () => number;
  /** The `share` option's key (`null` for `true`), or `undefined` when the stream is not shared. */
  share: { key: string | null } | undefined;
}

const JITTERS: readonly BackoffJitter[] = ['full', 'equal', 'none'];

function fail(message: string): never {
  throw new SseClientError('invalid-option', message);
}

function checkNumber(name: string, value: unknown, range: NumberRange): void {
  const problem = numberOptionProblem(name, value, range);
  if (problem !== undefined) fail(problem);
}

function resolveBackoff(backoff: Partial<BackoffConfig> | undefined): BackoffConfig {
  const config = { ...DEFAULT_BACKOFF, ...backoff };
  checkNumber('backoff.initialMs', config.initialMs, { min: 0, infinity: true });
  checkNumber('backoff.maxMs', config.maxMs, { min: 0, infinity: true });
  if (config.maxMs < config.initialMs) {
    fail(`backoff.maxMs (${config.maxMs}) is below backoff.initialMs (${config.initialMs})`);
  }
  checkNumber('backoff.factor', config.factor, { min: 1 });
  if (!JITTERS.includes(config.jitter)) {
    fail(`backoff.jitter must be one of ${JITTERS.join(', ')}, got ${String(config.jitter)}`);
  }
  return config;
}

const CREDENTIALS: readonly RequestCredentials[] = ['omit', 'same-origin', 'include'];

/** Gives a boolean option, or its default when left out. */
function booleanOption(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`the ${name} option must be a boolean, got ${String(value)}`);
  return value;
}

function checkFunction(name: string, value: unknown, what = 'a function'): void {
  if (value !== undefined && typeof value !== 'function') {
    fail(`the ${name} option must be ${what}, got ${typeof value}`);
  }
}

function resolveBaseUrl(baseUrl: string | URL | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  if (baseUrl instanceof URL) return baseUrl.href;
  if (typeof baseUrl !== 'string')
    fail(`the baseUrl option must be a string or a URL, got ${typeof baseUrl}`);
  try {
    return new URL(baseUrl).href;
  } catch {
    return fail(
      `the baseUrl option must be an absolute URL (such as 'https://api.example.com'), got ${JSON.stringify(baseUrl)}`,
    );
  }
}

function isCatalog(value: unknown): value is EventCatalog {
  const catalog = value as Partial<EventCatalog> | null | undefined;
  return typeof catalog?.has === 'function' && typeof catalog.safeParse === 'function';
}

/**
 * Checks the options and fills in the defaults. Misuse throws at once with a message that says
 * what to do instead.
 *
 * @param options - the options given to `createClient`
 */
export function resolveOptions<C extends EventCatalog>(options: ClientOptions<C>): ResolvedOptions<C> {
  if (typeof options !== 'object' || options === null)
    fail('createClient() takes an options object { url, events }');
  const { url, events } = options;
  if (typeof url !== 'string' && typeof url !== 'function' && !(url instanceof URL)) {
    fail('the url option must be a string, a URL or a function returning one');
  }
  if (!isCatalog(events))
    fail('the events option must be a catalog made by defineEvents() from @app/sse-protocol');
  const transport = options.transport ?? 'fetch';
  if (transport !== 'fetch' && transport !== 'eventsource') {
    fail(`the transport option must be 'fetch' or 'eventsource', got ${String(transport)}`);
  }
  checkFunction('fetch', options.fetch);
  checkFunction('random', options.random);
  checkFunction('onMetric', options.onMetric);
  checkFunction('EventSource', options.EventSource, 'a constructor');
  if (options.credentials !== undefined && !CREDENTIALS.includes(options.credentials)) {
    fail(
      `the credentials option must be one of ${CREDENTIALS.join(', ')}, got ${String(options.credentials)}`,
    );
  }
  const method = options.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') fail(`method must be 'GET' or 'POST', got ${String(method)}`);
  if (method === 'GET' && options.body !== undefined) fail("a body needs method: 'POST' (a GET has no body)");
  const EventSourceImpl =
    options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  if (transport === 'eventsource') {
    if (typeof EventSourceImpl !== 'function') {
      fail(
        'this runtime has no global EventSource: pass one as the EventSource option, or use the fetch transport',
      );
    }
    if (options.headers !== undefined) {
      fail('an EventSource cannot send headers: use the fetch transport (the default) to send them');
    }
    if (method !== 'GET' || options.body !== undefined) {
      fail('an EventSource can only GET: use the fetch transport (the default) for method and body');
    }
  } else if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
    fail('this runtime has no global fetch: pass one as the fetch option');
  }
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  checkNumber('maxRetries', maxRetries, { min: 0, integer: true, infinity: true });
  const maxEventIdLength = options.maxEventIdLength ?? DEFAULT_MAX_EVENT_ID_LENGTH;
  checkNumber('maxEventIdLength', maxEventIdLength, { min: 1, integer: true });
  const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
  checkNumber('maxBufferSize', maxBufferSize, { min: 1, integer: true });
  const lastEventId = options.lastEventId ?? '';
  if (typeof lastEventId !== 'string' || UNSENDABLE_IN_ID.test(lastEventId)) {
    fail(
      'lastEventId must be a string without control characters other than tab (it is sent back as the Last-Event-ID header)',
    );
  }
  if (lastEventId.length > maxEventIdLength) {
    fail(
      `lastEventId is ${lastEventId.length} characters long, over maxEventIdLength (${maxEventIdLength}); raise maxEventIdLength if the server's IDs are that long`,
    );
  }
  const watchdog = options.watchdog ?? DEFAULT_WATCHDOG;
  if (watchdog !== false && !(typeof watchdog === 'number' && watchdog > 1 && Number.isFinite(watchdog))) {
    fail(
      `watchdog must be false or a number of heartbeat intervals above 1 (a healthy stream would be cut otherwise), got ${String(watchdog)}`,
    );
  }
  return {
    url,
    baseUrl: resolveBaseUrl(options.baseUrl),
    events,
    headers: options.headers,
    method,
    body: options.body,
    credentials: options.credentials,
    fetch: options.fetch,
    transport,
    EventSource: EventSourceImpl,
    backoff: resolveBackoff(options.backoff),
    maxRetries,
    lastEventId,
    maxEventIdLength,
    maxBufferSize,
    validate: booleanOption('validate', options.validate, true),
    autoConnect: booleanOption('autoConnect', options.autoConnect, true),
    // An EventSource hides comments, so heartbeats cannot be seen: the watchdog would cut quiet streams.
    watchdog: watchdog === false || transport === 'eventsource' ? 0 : watchdog,
    pauseWhenHidden: booleanOption('pauseWhenHidden', options.pauseWhenHidden, false),
    random: options.random ?? Math.random,
    share: resolveShare(options, fail),
  };
}
