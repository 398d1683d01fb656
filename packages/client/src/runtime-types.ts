/**
 * What `fetch` the client may be given: the global one or any compatible wrapper.
 *
 * @example
 * ```ts
 * const traced: FetchLike = (input, init) => {
 *   console.debug('connecting to', String(input));
 *   return fetch(input, init);
 * };
 * createClient({ url: '/events', events, fetch: traced });
 * ```
 */
export type FetchLike = (input: string | URL, init: RequestInit) => Promise<Response>;

/**
 * The part of an `EventSource` instance the client uses.
 *
 * @example
 * ```ts
 * const source: EventSourceLike = new EventSource('/events');
 * source.close();
 * ```
 */
export interface EventSourceLike extends EventTarget {
  /** `0` connecting, `1` open, `2` closed. */
  readonly readyState: number;
  /** Closes the connection; no reconnection follows. */
  close(): void;
}

/**
 * An `EventSource` constructor: the global one, or a polyfill such as the `eventsource` package.
 *
 * @example
 * ```ts
 * import { EventSource } from 'eventsource';
 * createClient({ url: 'https://api.example.com/events', events, transport: 'eventsource', EventSource });
 * ```
 */
export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike;

/**
 * A value, or a function giving it (called on every connection attempt, may be async).
 *
 * @example
 * ```ts
 * const headers: Resolvable<HeadersInit> = async () => ({ authorization: `Bearer ${await auth.token()}` });
 * ```
 */
export type Resolvable<T> = T | (() => T | Promise<T>);
