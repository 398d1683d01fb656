import type { ClientSnapshot } from '@app/sse-client';

/**
 * The snapshot every server render and every hydration sees: a page that is about to connect.
 * One constant object, so the server markup and the first client render agree, and nothing on the
 * server depends on a client that must not connect there.
 *
 * @example
 * ```ts
 * const label = SERVER_SNAPSHOT.state; // 'connecting'
 * ```
 */
export const SERVER_SNAPSHOT: ClientSnapshot = Object.freeze({
  state: 'connecting',
  lastEventId: '',
  retryAt: null,
  attempt: 0,
  paused: null,
  error: null,
  clientId: null,
  role: null,
});
