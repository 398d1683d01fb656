import { SseError } from '@app/sse-protocol';

/**
 * Every reason `@app/sse-redis` throws or reports:
 * - `store-unavailable`: Redis could not be reached in time (down, restarting, a network cut); for
 *   an append, nothing was stored, unless the connection broke after the command was sent (see the
 *   README's failure table). `@app/sse-server` rejects the publish with the same code.
 * - `store-failed`: Redis answered with an error (a wrong key type, a Redis older than 7.0).
 * - `invalid-option`: `createRedisStore` was given options it cannot work with.
 */
export type RedisStoreErrorCode = 'store-unavailable' | 'store-failed' | 'invalid-option';

const brand = Symbol.for('@app/sse-redis/error');

/**
 * The error class of `@app/sse-redis`, with a `code` and the Redis client's error as `cause`.
 *
 * @example
 * ```ts
 * sse.broadcast('notification', payload).catch((error) => {
 *   if (error.code === 'store-unavailable') retryLater();
 * });
 * ```
 */
export class RedisStoreError extends SseError<RedisStoreErrorCode, { readonly stream: string | undefined }> {
  readonly [brand] = true;

  /**
   * @param code - the reason
   * @param message - what happened, without the package prefix
   * @param stream - the stream key concerned, if any
   * @param cause - the underlying error
   */
  constructor(code: RedisStoreErrorCode, message: string, stream?: string, cause?: unknown) {
    super('@app/sse-redis', code, message, { stream }, cause);
    this.name = 'RedisStoreError';
  }
}

/**
 * Whether `value` is a {@link RedisStoreError} (also across copies of this package).
 *
 * @param value - anything caught
 * @example
 * ```ts
 * if (isRedisStoreError(error.cause) && error.cause.code === 'store-unavailable') alertOps();
 * ```
 */
export function isRedisStoreError(value: unknown): value is RedisStoreError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}
