import { createHash } from 'node:crypto';

/**
 * What the store needs of a Redis client: a connected node-redis client (`createClient()` of
 * `redis` or `@redis/client`, v5 or later) fits. The store sends raw commands only, so it works
 * whatever RESP version or type mapping the client was created with.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisStore({ redis, stream: 'sse:app' });
 * ```
 */
export interface RedisConnection {
  /** Sends one command; `timeout` bounds how long it may wait to be sent. */
  sendCommand(args: readonly string[], options?: { timeout?: number }): Promise<unknown>;
  /** A new client with the same options, for the blocking read of the live feed. */
  duplicate(): RedisConnection;
  /** Connects a new client. */
  connect(): Promise<unknown>;
  /** Whether the client is connected (or reconnecting). */
  readonly isOpen: boolean;
  /** Errors of the connection (the store listens on the clients it creates). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Closes at once, dropping what is queued. */
  destroy(): void;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Runs a Lua script by its SHA-1 (`EVALSHA`), sending its source once per Redis process
 * (`EVAL` after a `NOSCRIPT`, for example after Redis restarted).
 *
 * @param script - the Lua source
 * @returns `run(connection, keys, args, timeout)`
 */
export function luaScript(script: string) {
  const digest = sha1(script);
  return async (
    connection: RedisConnection,
    keys: readonly string[],
    args: readonly string[],
    timeout?: number,
  ): Promise<unknown> => {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await connection.sendCommand(['EVALSHA', digest, ...tail], { timeout });
    } catch (error) {
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      return connection.sendCommand(['EVAL', script, ...tail], { timeout });
    }
  };
}
