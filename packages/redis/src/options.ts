import { numberOptionProblem } from '@app/sse-protocol';
import { RedisStoreError } from './errors';
import type { RedisConnection } from './redis-connection';

/**
 * Options of {@link createRedisStore}.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { redis: 'redis://127.0.0.1:6379', stream: 'sse:app', maxLen: 100_000 };
 * ```
 */
export interface RedisStoreOptions {
  /**
   * A Redis URL (`redis://` or `rediss://`; the store then makes, connects and closes its own
   * clients), or a node-redis client you created (connected or not; the store leaves it open on
   * `close()` and makes one duplicate of it for the blocking read of the live feed).
   */
  redis: string | URL | RedisConnection;
  /**
   * The stream key. Every instance of one application uses the same; different applications (or
   * event catalogs) use different ones. In Redis Cluster the key lives on one shard: give several
   * streams a common hash tag (`{app}:sse`) only if they must be on the same shard.
   */
  stream: string;
  /**
   * How many events the stream keeps for resumes (`XADD MAXLEN`); 0 keeps every event.
   * @defaultValue `100_000`
   */
  maxLen?: number;
  /**
   * `approximate` (`MAXLEN ~`, Redis trims whole nodes when it is cheap, so the stream holds at
   * least `maxLen` and at most about 100 more) or `exact` (`MAXLEN =`, slower on every append).
   * @defaultValue `'approximate'`
   */
  trimming?: 'approximate' | 'exact';
  /**
   * How long an append, a replay read or a head may wait for Redis before it fails with
   * `store-unavailable` (a publish then rejects, and a connecting client is answered 503).
   * @defaultValue `2000`
   */
  timeoutMs?: number;
  /**
   * Where connection errors and live-feed outages are reported (the store reconnects by itself).
   * @defaultValue logs to `console.error`
   */
  onError?: (error: RedisStoreError) => void;
}

/** {@link RedisStoreOptions} with every default applied. */
export interface ResolvedRedisStoreOptions {
  readonly redis: string | RedisConnection;
  readonly stream: string;
  readonly maxLen: number;
  readonly trimming: '~' | '=';
  readonly timeoutMs: number;
  readonly onError: (error: RedisStoreError) => void;
}

/** The default of `maxLen`. */
export const DEFAULT_MAX_LEN = 100_000;
/** The default of `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 2000;

function fail(message: string): never {
  throw new RedisStoreError('invalid-option', message);
}

/**
 * Checks the options and applies the defaults.
 *
 * @param options - what the user gave
 * @throws {@link RedisStoreError} `invalid-option`
 */
export function resolveOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  if (typeof options !== 'object' || options === null) fail('createRedisStore() takes an options object');
  const { redis, stream } = options;
  if (typeof stream !== 'string' || stream === '') fail('stream must be a non-empty key name');
  let connection: string | RedisConnection;
  if (redis instanceof URL || typeof redis === 'string') {
    connection = String(redis);
    if (!/^rediss?:\/\//.test(connection))
      fail(`redis must be a redis:// or rediss:// URL or a client, got ${JSON.stringify(connection)}`);
  } else if (typeof redis === 'object' && redis !== null && typeof redis.sendCommand === 'function') {
    connection = redis;
  } else {
    fail(
      'redis must be a redis:// URL or a node-redis client (createClient() of `redis` or `@redis/client`)',
    );
  }
  const maxLen = options.maxLen ?? DEFAULT_MAX_LEN;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const [name, value, min] of [
    ['maxLen', maxLen, 0],
    ['timeoutMs', timeoutMs, 1],
  ] as const) {
    const problem = numberOptionProblem(name, value, { min, integer: true });
    if (problem !== undefined) fail(problem);
  }
  const trimming = options.trimming ?? 'approximate';
  if (trimming !== 'approximate' && trimming !== 'exact') {
    fail(`trimming must be 'approximate' or 'exact', got ${JSON.stringify(trimming)}`);
  }
  const onError = options.onError ?? ((error: RedisStoreError) => console.error(error));
  if (typeof onError !== 'function') fail('onError must be a function');
  return {
    redis: connection,
    stream,
    maxLen,
    trimming: trimming === 'exact' ? '=' : '~',
    timeoutMs,
    onError,
  };
}
