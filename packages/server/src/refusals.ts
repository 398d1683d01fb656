import type { EmitterCore } from './emitter-core';
import { isSseServerError, STATUS_TEXT } from './errors';
import type { RefusalReason } from './telemetry';
import type { Refusal } from './transport';

const TEXT = 'text/plain; charset=utf-8';

/**
 * A plain-text refusal.
 *
 * @param status - the HTTP status
 * @param body - the text
 * @param headers - extra headers
 * @param reason - why, for the metrics; by default read from the status
 */
export function refusal(
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
  reason: RefusalReason = reasonOfStatus(status),
): Refusal {
  return {
    status,
    body,
    headers: { ...headers, 'Content-Type': TEXT, 'Cache-Control': 'no-store' },
    reason,
  };
}

/** The metrics reason of a refusal an application chose (`authorize`, `channels`) by its status. */
function reasonOfStatus(status: number): RefusalReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  return status >= 500 ? 'error' : 'rejected';
}

/**
 * 400 Bad Request.
 *
 * @param reason - what is wrong with the request
 */
export function badRequest(reason: string): Refusal {
  return refusal(400, reason, {}, 'bad-request');
}

/**
 * 405 Method Not Allowed, for a request that is neither GET nor HEAD, with the `Allow` header a
 * 405 must carry (RFC 9110, section 15.5.6).
 */
export function methodNotAllowed(): Refusal {
  return refusal(
    405,
    'Method Not Allowed: an event stream is read with GET',
    { Allow: 'GET, HEAD' },
    'method-not-allowed',
  );
}

/**
 * 503 Service Unavailable, with `Retry-After` (whole seconds, at least 1) from the emitter's `retryMs`.
 *
 * @param reason - why, in words
 * @param kind - why, for the metrics
 */
export function unavailable(
  core: EmitterCore,
  reason: string,
  kind: 'limit' | 'shutdown' | 'store-unavailable',
): Refusal {
  const seconds = Math.max(1, Math.ceil(core.options.retryMs / 1000));
  return refusal(503, reason, { 'Retry-After': String(seconds) }, kind);
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

/**
 * The refusal for an error thrown while a stream opens. Our `httpError()` gives its status,
 * headers and text; an error of another HTTP library with a 4xx/5xx `status` or `statusCode` gives
 * that status (its message only when it says `expose: true`); anything else is a 500, and is
 * reported to `onError` (it is a bug in `authorize` or `channels`, not the client's fault).
 *
 * @param error - what was thrown
 * @param onError - where unexpected errors are reported
 */
export function refusalFor(error: unknown, onError: (error: unknown) => void): Refusal {
  if (isSseServerError(error) && error.code === 'http-error' && error.status !== undefined) {
    return refusal(error.status, error.reason, error.headers);
  }
  const status = statusOf(error);
  if (status !== undefined) {
    const { expose, message } = error as { expose?: unknown; message?: unknown };
    const text =
      expose === true && typeof message === 'string' ? message : (STATUS_TEXT[status] ?? `HTTP ${status}`);
    if (status >= 500) onError(error);
    return refusal(status, text);
  }
  onError(error);
  return refusal(500, STATUS_TEXT[500] as string);
}
