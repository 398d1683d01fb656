import { SseError } from '@app/sse-protocol';

/**
 * Every reason `@app/sse-server` reports or throws, as a literal union so callers can switch on it.
 *
 * - `http-error`: an HTTP refusal thrown from `authorize` or `channels` (see {@link httpError}); the
 *   client is answered with its `status` before any stream byte.
 * - `invalid-option`: an emitter or handler option that cannot work (the message says which).
 * - `invalid-channel`: a channel name that is not a non-empty string.
 * - `invalid-authorization`: `authorize` returned something other than `{ userId }`, `true` or `false`.
 * - `closed`: the emitter was closed; it publishes nothing more.
 * - `serialization-failed`: the parsed payload could not be turned into JSON (a `BigInt`, a cycle).
 * - `store-failed`: the replay store rejected; `cause` holds its error.
 * - `store-unavailable`: a publish could not reach the store's backend (its error has that `code`);
 *   nothing was stored, and nothing was delivered.
 * - `slow-consumer`: a connection's unsent bytes passed `maxBufferedBytes`; it was closed and will
 *   resume from the replay store.
 *
 * @example
 * ```ts
 * const retryable = (code: SseServerErrorCode) => code === 'store-failed';
 * ```
 */
export type SseServerErrorCode =
  | 'http-error'
  | 'invalid-option'
  | 'invalid-channel'
  | 'invalid-authorization'
  | 'closed'
  | 'serialization-failed'
  | 'store-failed'
  | 'store-unavailable'
  | 'slow-consumer';

/**
 * Details an {@link SseServerError} may carry besides its code and message.
 *
 * @example
 * ```ts
 * const details: SseServerErrorDetails = { status: 429, headers: { 'Retry-After': '30' } };
 * ```
 */
export interface SseServerErrorDetails {
  /** The underlying error or data. */
  cause?: unknown;
  /** The HTTP status to answer with, for `http-error`. */
  status?: number;
  /** Extra response headers for `http-error` (for example `WWW-Authenticate`). */
  headers?: Readonly<Record<string, string>>;
}

const brand = Symbol.for('@app/sse-server/error');

/**
 * The one error class of `@app/sse-server`. Its message starts with the package name; `code` tells
 * the reason. Throw one made by {@link httpError} from `authorize` or `channels` to refuse a
 * connection with a given status.
 *
 * @example
 * ```ts
 * try { await sse.broadcast('notification', payload); }
 * catch (error) { if (isSseServerError(error) && error.code === 'closed') console.log('shutting down'); }
 * ```
 */
export class SseServerError extends SseError<
  SseServerErrorCode,
  { readonly status: number | undefined; readonly headers: Readonly<Record<string, string>> }
> {
  readonly [brand] = true;

  /**
   * @param code - the reason, see {@link SseServerErrorCode}
   * @param message - what happened, without the package prefix (the body of an `http-error` refusal)
   * @param details - `cause`, and `status` and `headers` for `http-error`
   */
  constructor(code: SseServerErrorCode, message: string, details: SseServerErrorDetails = {}) {
    super(
      '@app/sse-server',
      code,
      message,
      { status: details.status, headers: details.headers ?? {} },
      details.cause,
    );
    this.name = 'SseServerError';
  }

  /** The HTTP status a connection is refused with (`http-error` only); the same as `detail.status`. */
  get status(): number | undefined {
    return this.detail.status;
  }

  /** Extra response headers sent with the refusal (`http-error` only); the same as `detail.headers`. */
  get headers(): Readonly<Record<string, string>> {
    return this.detail.headers;
  }
}

/**
 * Whether `value` is an {@link SseServerError} (also across bundle copies of this package).
 *
 * @param value - anything caught
 *
 * @example
 * ```ts
 * if (isSseServerError(error) && error.code === 'store-failed') alertOps(error.cause);
 * ```
 */
export function isSseServerError(value: unknown): value is SseServerError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/**
 * Makes the error to throw from `authorize` or `channels` to refuse a connection with an HTTP
 * status other than 401 (return `false` for that). Nothing is streamed: the client gets `status`,
 * `headers` and `message` as a plain-text body.
 *
 * @param status - an HTTP error status, 400 to 599
 * @param message - the plain-text body, also the error message @defaultValue the status text, e.g. `'Forbidden'`
 * @param headers - extra response headers @defaultValue `{}`
 * @throws {@link SseServerError} `invalid-option` when `status` is not an integer from 400 to 599
 *
 * @example
 * ```ts
 * app.get('/events', sse.handler({
 *   authorize: async (req) => {
 *     const user = await sessionUser(req);
 *     if (!user) return false;                                  // 401
 *     if (user.banned) throw httpError(403, 'account suspended'); // 403
 *     return { userId: user.id };
 *   },
 * }));
 * ```
 */
export function httpError(
  status: number,
  message?: string,
  headers: Readonly<Record<string, string>> = {},
): SseServerError {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new SseServerError('invalid-option', `httpError() takes a status from 400 to 599, got ${status}`);
  }
  return new SseServerError('http-error', message ?? STATUS_TEXT[status] ?? `HTTP ${status}`, {
    status,
    headers,
  });
}

/** Texts of the statuses a refusal commonly uses (the rest fall back to `HTTP <status>`). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
