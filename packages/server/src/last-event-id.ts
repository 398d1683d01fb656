import { LAST_EVENT_ID_QUERY } from '@app/sse-protocol';

/**
 * The ID a client resumes from: the `Last-Event-ID` header (what `EventSource` sends when it
 * reconnects), else the `lastEventId` query parameter (for clients that cannot set headers).
 * Empty values count as absent, as an `EventSource` sends no header while its last event ID is
 * empty ("If the event source's last event ID string is not the empty string, set
 * `Last-Event-ID`": https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model).
 * The value is not checked here: the core refuses a malformed one with 400.
 *
 * @param header - the header's value as the framework gives it
 * @param url - the request URL or path with its query string
 * @returns the ID, or `null` when the client sent none
 *
 * @example
 * ```ts
 * lastEventIdFrom(undefined, '/events?lastEventId=m3k9x2ab-42'); // 'm3k9x2ab-42'
 * ```
 */
export function lastEventIdFrom(
  header: string | readonly string[] | null | undefined,
  url: string | undefined,
): string | null {
  const value = typeof header === 'string' ? header : header?.join(', ');
  if (value !== undefined && value !== '') return value;
  if (url === undefined) return null;
  const question = url.indexOf('?');
  if (question === -1) return null;
  const hash = url.indexOf('#', question);
  const query = new URLSearchParams(url.slice(question + 1, hash === -1 ? undefined : hash));
  const fromQuery = query.get(LAST_EVENT_ID_QUERY);
  return fromQuery === null || fromQuery === '' ? null : fromQuery;
}
