import { SseError } from '@app/sse-protocol';

/**
 * Every reason `@app/sse-client` reports, as a literal union so handlers can switch on it.
 *
 * Connection errors (the client reconnects unless the error is `fatal`):
 * - `network`: `fetch` rejected, or the body failed in the middle of the stream.
 * - `request`: the `url` or `headers` function threw or rejected (retried), or the `EventSource`
 *   could not be created (fatal).
 * - `invalid-option`: the `url` cannot be fetched at all: a relative URL with no `baseUrl` option
 *   and no page to resolve it against (Node, Deno, Bun), or no valid URL. Fatal; the message says
 *   what to pass instead.
 * - `http-status`: a response that is not `200`. `408`, `429` and `5xx` are retried (honouring
 *   `Retry-After`); any other status is fatal.
 * - `unauthorized`: `401` or `403`. Fatal: retrying with the same credentials cannot succeed.
 * - `content-type`: a `200` response that is not `text/event-stream`. Fatal.
 * - `watchdog`: nothing arrived for several of the server's heartbeat intervals; the client
 *   dropped the connection and reconnects.
 * - `retries-exhausted`: `maxRetries` consecutive attempts failed. Fatal; `cause` is the last error.
 *
 * Event errors (the connection stays up; no handler sees the event):
 * - `invalid-json`: an event's data is not JSON.
 * - `validation-failed`: an event's data does not match its catalog schema (`paths` says where).
 * - `unknown-event`: an event name the catalog does not define (`message` included).
 * - `handler-threw`: a handler threw or rejected; the other handlers still ran.
 * - `catalog-mismatch`: the server announced a catalog fingerprint other than the client's (said once
 *   the client's own is computed, by code loaded with the first `sse:hello`).
 * - `parse`: the stream held input the parser ignored or discarded (see `cause`).
 * - `oversized-id`: an `id:` field longer than the `maxEventIdLength` option. Reported once per
 *   connection; such IDs are ignored on it (the events still arrive, with the last event ID
 *   before them), so they are neither kept to resume, nor sent back, nor remembered.
 * - `invalid-id`: an `id:` field holding a control character other than tab, which cannot be sent
 *   back as the `Last-Event-ID` header; ignored the same way, reported once per connection.
 *
 * Thrown by a `stream()` loop only (the connection and the other consumers carry on):
 * - `stream-overflow`: the loop fell `maxBuffered` events behind; it ends after the events queued
 *   until then, and the events after them were not queued for it.
 *
 * @example
 * ```ts
 * client.onError((error) => {
 *   switch (error.code) {
 *     case 'unauthorized': return redirectToLogin();
 *     case 'validation-failed': return console.warn(error.event, error.paths);
 *     default: return console.warn(error.message);
 *   }
 * });
 * ```
 */
export type SseClientErrorCode =
  | 'network'
  | 'request'
  | 'invalid-option'
  | 'http-status'
  | 'unauthorized'
  | 'content-type'
  | 'watchdog'
  | 'retries-exhausted'
  | 'invalid-json'
  | 'validation-failed'
  | 'unknown-event'
  | 'handler-threw'
  | 'catalog-mismatch'
  | 'parse'
  | 'oversized-id'
  | 'invalid-id'
  | 'stream-overflow';

/**
 * Details an {@link SseClientError} may carry besides its code and message.
 *
 * @example
 * ```ts
 * new SseClientError('http-status', 'the server answered 500', { status: 500 });
 * ```
 */
export interface SseClientErrorDetails {
  /** The underlying error or data. */
  cause?: unknown;
  /** The event name, for event errors. */
  event?: string;
  /** Each failing path (like `data.items[0].name`), for `validation-failed`. */
  paths?: readonly string[];
  /** The HTTP status, for `http-status` and `unauthorized`. */
  status?: number;
  /**
   * Whether the error closed the client (no reconnection follows).
   * @defaultValue `false`
   */
  fatal?: boolean;
}

const brand = Symbol.for('@app/sse-client/error');

/**
 * The one error class of `@app/sse-client`, handed to `onError` listeners (and thrown by a
 * `stream()` loop when a fatal error closes the client). Its message starts with the package
 * name; `code` tells the reason.
 *
 * @example
 * ```ts
 * client.onError((error) => {
 *   if (error.code === 'unauthorized') redirectToLogin();
 *   else if (error.code === 'validation-failed') console.warn(error.event, error.paths);
 * });
 * ```
 */
export class SseClientError extends SseError<
  SseClientErrorCode,
  {
    readonly event: string | undefined;
    readonly paths: readonly string[];
    readonly status: number | undefined;
    readonly fatal: boolean;
  }
> {
  /** The event name, for event errors (`invalid-json`, `validation-failed`, `unknown-event`, ...). */
  readonly event: string | undefined;
  /** Each failing path, for `validation-failed` (empty otherwise). */
  readonly paths: readonly string[];
  /** The HTTP status, for `http-status` and `unauthorized`. */
  readonly status: number | undefined;
  /** Whether this error closed the client: no reconnection follows until `connect()`. */
  readonly fatal: boolean;
  readonly [brand] = true;

  /**
   * @param code - the reason, see {@link SseClientErrorCode}
   * @param message - what happened, without the package prefix
   * @param details - `cause`, `event`, `paths`, `status`, `fatal`
   */
  constructor(code: SseClientErrorCode, message: string, details: SseClientErrorDetails = {}) {
    const { event, paths = [], status, fatal = false } = details;
    super('@app/sse-client', code, message, { event, paths, status, fatal }, details.cause);
    this.name = 'SseClientError';
    this.event = event;
    this.paths = paths;
    this.status = status;
    this.fatal = fatal;
  }
}

/**
 * Whether `value` is an {@link SseClientError} (also across bundle copies of this package).
 *
 * @param value - anything caught
 *
 * @example
 * ```ts
 * try { for await (const event of client.stream()) render(event); }
 * catch (error) { if (isSseClientError(error) && error.code === 'unauthorized') login(); }
 * ```
 */
export function isSseClientError(value: unknown): value is SseClientError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/** The message of a thrown value, for the text of an error that wraps it (`cause` keeps the value). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
