import { MAX_EVENT_ID_LENGTH } from '@app/sse-protocol';
import type { BackoffConfig } from './backoff';

/**
 * Default backoff: 1 s first step, doubling, capped at 30 s, full jitter.
 *
 * @example
 * ```ts
 * createClient({ url: '/events', events, backoff: { ...DEFAULT_BACKOFF, maxMs: 60_000 } });
 * ```
 */
export const DEFAULT_BACKOFF: Readonly<BackoffConfig> = Object.freeze({
  initialMs: 1000,
  maxMs: 30_000,
  factor: 2,
  jitter: 'full',
});

/**
 * Default watchdog multiplier of the server's heartbeat interval: a connection silent for three
 * heartbeat intervals is dropped and resumed.
 *
 * @example
 * ```ts
 * createClient({ url: '/events', events, watchdog: DEFAULT_WATCHDOG + 2 }); // more tolerant
 * ```
 */
export const DEFAULT_WATCHDOG = 3;

/**
 * Default of the `maxEventIdLength` option: the longest event ID the client keeps. The same limit
 * as `@app/sse-server`'s, whose IDs are far shorter.
 *
 * @example
 * ```ts
 * createClient({ url: '/events', events, maxEventIdLength: DEFAULT_MAX_EVENT_ID_LENGTH * 4 });
 * ```
 */
export const DEFAULT_MAX_EVENT_ID_LENGTH = MAX_EVENT_ID_LENGTH;
