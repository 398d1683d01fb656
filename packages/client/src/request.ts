import { EVENT_STREAM_CONTENT_TYPE, LAST_EVENT_ID_HEADER, LAST_EVENT_ID_QUERY } from '@app/sse-protocol';
import type { Resolvable } from './runtime-types';

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

let signalChecked: { Request: unknown; AbortSignal: unknown; accepted: boolean } | undefined;

/**
 * Whether this runtime's `fetch` accepts this global's `AbortSignal`. A test environment may mix
 * realms: jsdom replaces `AbortController` with its own while `fetch` stays Node's, and Node 24's
 * `fetch` refuses a foreign signal ("Expected signal to be an instance of AbortSignal"), so no
 * connection could open. Probed once per pair of constructors, with no network access; without
 * the signal, an abort still cancels the response body (the transport does both).
 *
 * @param signal - a signal of this global's `AbortController`
 */
export function acceptsSignal(signal: AbortSignal): boolean {
  const RequestImpl = (globalThis as { Request?: typeof Request }).Request;
  const SignalImpl = (globalThis as { AbortSignal?: unknown }).AbortSignal;
  const checked = signalChecked;
  if (checked !== undefined && checked.Request === RequestImpl && checked.AbortSignal === SignalImpl) {
    return checked.accepted;
  }
  let accepted = true;
  if (typeof RequestImpl === 'function') {
    try {
      new RequestImpl('http://localhost/', { signal });
    } catch {
      accepted = false;
    }
  }
  signalChecked = { Request: RequestImpl, AbortSignal: SignalImpl, accepted };
  return accepted;
}

/**
 * The base a relative stream URL is resolved against: the `baseUrl` option, else the page's
 * location (as `fetch` and `EventSource` resolve against the document), else none (Node, Deno,
 * Bun). Read at every attempt: a single-page app may have moved since the last one.
 *
 * @param baseUrl - the `baseUrl` option, already checked to be absolute
 */
export function urlBase(baseUrl: string | undefined): string | undefined {
  return baseUrl ?? (globalThis as { location?: { href?: string } }).location?.href;
}

/** {@link resolveStreamUrl}'s answer: the URL to fetch, or why there is none. */
export type ResolvedUrl = { url: string | URL; problem?: undefined } | { url?: undefined; problem: string };

/**
 * Resolves the stream URL against {@link urlBase}. Where nothing resolves it (a relative URL and
 * no base, or no valid URL at all), the global `fetch` cannot take it and retrying could never fix
 * that: `problem` says what to pass instead. A `fetch` option may resolve URLs itself, so it is
 * handed the URL as it came.
 *
 * @param url - the stream URL
 * @param baseUrl - the `baseUrl` option
 * @param customFetch - whether a `fetch` option will take the URL
 */
export function resolveStreamUrl(
  url: string | URL,
  baseUrl: string | undefined,
  customFetch: boolean,
): ResolvedUrl {
  if (url instanceof URL) return { url };
  const base = urlBase(baseUrl);
  try {
    return { url: new URL(url, base).href };
  } catch {
    if (customFetch) return { url };
    return {
      problem:
        base === undefined
          ? `${JSON.stringify(url)} is not an absolute URL, and there is no page to resolve it against: pass an absolute URL, or the baseUrl option (such as baseUrl: 'https://api.example.com')`
          : `${JSON.stringify(url)} is not a valid URL, even resolved against ${JSON.stringify(base)}`,
    };
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
 * What an event ID cannot hold and still be sent back as `Last-Event-ID`: a control character
 * other than tab. CR, LF and NUL would break the header line, and an HTTP field value holds no
 * other one (RFC 9110, section 5.5): Node's fetch refuses every request that carries one.
 */
export const UNSENDABLE_IN_ID = /[\0-\x08\x0a-\x1f\x7f]/;

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
 * transports that cannot send headers. A relative URL is resolved against {@link urlBase} when
 * there is one, and edited as text otherwise.
 *
 * @param url - the stream URL
 * @param lastEventId - the ID to resume from (`''`: none)
 * @param baseUrl - the `baseUrl` option
 */
export function withLastEventIdQuery(url: string | URL, lastEventId: string, baseUrl?: string): string {
  const base = urlBase(baseUrl);
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
