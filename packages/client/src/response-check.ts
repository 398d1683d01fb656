import { EVENT_STREAM_CONTENT_TYPE } from '@app/sse-protocol';
import { retryAfterDelay } from './backoff';
import { SseClientError } from './errors';
import type { ConnectionEnd } from './transport';

/**
 * How a status that is not `200` ends the connection:
 * - `204`: the server's "no more", quietly;
 * - `401`, `403`: fatal `unauthorized`;
 * - `408`, `429`, `5xx`: retried (`Retry-After` honoured on `429` and `503`);
 * - anything else: fatal `http-status` (the spec fails the connection for any status but 200).
 *
 * @param status - the HTTP status
 * @param statusText - the reason phrase, for the message
 * @param retryAfter - the `Retry-After` header, or `null`
 * @param now - the current time in epoch milliseconds
 */
export function statusEnd(
  status: number,
  statusText: string,
  retryAfter: string | null,
  now: number,
): ConnectionEnd {
  if (status === 204) return { kind: 'no-content' };
  const label = `${status}${statusText === '' ? '' : ` ${statusText}`}`;
  if (status === 401 || status === 403) {
    return {
      kind: 'failed',
      retryable: false,
      error: new SseClientError(
        'unauthorized',
        `the server refused the stream with ${label}; fix the credentials, then call connect()`,
        { status, fatal: true },
      ),
    };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return {
    kind: 'failed',
    retryable,
    retryAfterMs: status === 429 || status === 503 ? retryAfterDelay(retryAfter, now) : undefined,
    error: new SseClientError(
      'http-status',
      retryable
        ? `the server answered ${label}; reconnecting`
        : `the server answered ${label} instead of 200 with an event stream`,
      { status, fatal: !retryable },
    ),
  };
}

/**
 * Checks a `fetch` response before its body is read, as the WHATWG HTML "Server-sent events"
 * section does ("if res's status is not 200, or if res's Content-Type is not
 * text/event-stream, then fail the connection").
 *
 * @param response - the response
 * @param now - the current time in epoch milliseconds
 * @returns how the connection ends, or `undefined` when the stream can be read
 */
export function checkResponse(response: Response, now: number): ConnectionEnd | undefined {
  if (response.status !== 200) {
    return statusEnd(response.status, response.statusText, response.headers.get('retry-after'), now);
  }
  const contentType = response.headers.get('content-type');
  // Compare the MIME type's essence only: `text/event-stream; charset=utf-8` is fine.
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (essence !== EVENT_STREAM_CONTENT_TYPE) {
    return {
      kind: 'failed',
      retryable: false,
      error: new SseClientError(
        'content-type',
        `the server answered with content type ${JSON.stringify(contentType ?? '')} instead of ${EVENT_STREAM_CONTENT_TYPE}; is the URL right?`,
        { status: 200, fatal: true },
      ),
    };
  }
  return undefined;
}
