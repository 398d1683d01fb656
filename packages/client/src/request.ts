import { EVENT_STREAM_CONTENT_TYPE, LAST_EVENT_ID_HEADER, LAST_EVENT_ID_QUERY } from '@app/sse-protocol';
import type { Resolvable } from './options';

/**
 * Gives the value of an option that may be a function (called now, awaited).
 *
 * @param value - the option
 */
export async function resolveOption<T>(value: Resolvable<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

let noStoreChecked: { Request: unknown; supported: boolean } | undefined;

/**
 * Whether this runtime's `fetch` accepts `cache: 'no-store'`. The spec's `EventSource` request
 * sets the cache mode to "no-store" (WHATWG HTML, "Server-sent events": "Set request's cache
 * mode to "no-store""); fetch then also sends `Cache-Control: no-cache` and `Pragma: no-cache`
 * itself. Setting those headers by hand instead would make every cross-origin connection a CORS
 * preflight, which an `EventSource` never causes. A few runtimes (older Cloudflare Workers) throw
 * on the field, so it is probed once per `Request` constructor, with no network access.
 */
export function supportsNoStore(): boolean {
  const RequestImpl = (globalThis as { Request?: typeof Request }).Request;
  if (noStoreChecked !== undefined && noStoreChecked.Request === RequestImpl) return noStoreChecked.supported;
  let supported = false;
  if (typeof RequestImpl === 'function') {
    try {
      supported = new RequestImpl('http://localhost/', { cache: 'no-store' }).cache === 'no-store';
    } catch {
      supported = false;
    }
  }
  noStoreChecked = { Request: RequestImpl, supported };
  return supported;
}

/**
 * Says why the global `fetch` cannot take `url`, or `undefined` when it can. A relative URL is
 * resolved against the page's location, as `fetch` does; where there is no page (Node, Deno,
 * Bun), it cannot be. Retrying could never fix that, so the client stops with a clear error.
 *
 * @param url - the stream URL
 */
export function urlProblem(url: string | URL): string | undefined {
  if (url instanceof URL) return undefined;
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    new URL(url, base);
    return undefined;
  } catch {
    return `${JSON.stringify(url)} is not a valid URL${base === undefined ? '; where there is no page to resolve it against, give an absolute URL' : ''}`;
  }
}

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * A header value carrying `text` as UTF-8. Header values are byte strings (each character one
 * byte), so a non-ASCII ID is sent as its UTF-8 bytes, as an `EventSource` sends `Last-Event-ID`
 * (WHATWG HTML: "set `Last-Event-ID` to lastEventIDValue, UTF-8 encoded").
 *
 * @param text - the value
 */
export function utf8HeaderValue(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/**
 * The request headers of one fetch connection: the user's, `Accept: text/event-stream` unless
 * the user set another, and `Last-Event-ID` when there is an ID to resume from.
 *
 * @param headers - the user's headers
 * @param lastEventId - the ID to resume from (`''`: none)
 */
export function streamHeaders(headers: HeadersInit | undefined, lastEventId: string): Headers {
  const out = new Headers(headers);
  if (!out.has('accept')) out.set('accept', EVENT_STREAM_CONTENT_TYPE);
  // Spec: "If lastEventIDValue is not the empty string, set (`Last-Event-ID`, lastEventIDValue)".
  if (lastEventId !== '') out.set(LAST_EVENT_ID_HEADER, utf8HeaderValue(lastEventId));
  else out.delete(LAST_EVENT_ID_HEADER);
  return out;
}

/**
 * The URL with the `lastEventId` query parameter set to `lastEventId` (or removed when empty), for
 * transports that cannot send headers. A relative URL is resolved against the page's location
 * when there is one, and edited as text otherwise.
 *
 * @param url - the stream URL
 * @param lastEventId - the ID to resume from (`''`: none)
 */
export function withLastEventIdQuery(url: string | URL, lastEventId: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url, base);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) {
    if (lastEventId === '') parsed.searchParams.delete(LAST_EVENT_ID_QUERY);
    else parsed.searchParams.set(LAST_EVENT_ID_QUERY, lastEventId);
    return parsed.href;
  }
  const text = String(url);
  if (lastEventId === '') return text;
  const hash = text.indexOf('#');
  const path = hash === -1 ? text : text.slice(0, hash);
  const fragment = hash === -1 ? '' : text.slice(hash);
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}${LAST_EVENT_ID_QUERY}=${encodeURIComponent(lastEventId)}${fragment}`;
}
