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
  /** Sends one command; `timeout` bounds how long it may wait to be sent (the store bounds the answer). */
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
 * A command Redis did not answer in time ({@link withTimeout}). Its connection may be dead without
 * knowing it (a silent network cut leaves no FIN nor RST): a connection the store owns is replaced.
 */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

/**
 * Settles like `promise`, or rejects after `ms` when it has not settled by then. A client's own
 * `timeout` only bounds the wait before a command is sent; a Redis that stopped answering (stopped,
 * forking a large snapshot, cut off without a reset) would leave a sent command waiting forever.
 *
 * @param promise - the command
 * @param ms - the bound; `undefined` or `Infinity`: none
 * @param what - what timed out, for the error
 */
export function withTimeout<T>(promise: Promise<T>, ms: number | undefined, what: string): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Whether `error` is an error reply of Redis (`WRONGTYPE`, `ERR ...`): the command reached Redis
 * and Redis refused it, so retrying later will not help.
 *
 * @param error - what a command rejected with
 */
export function isErrorReply(error: unknown): boolean {
  // Matched by name along the prototype chain (`SimpleError` and `BlobError` extend `ErrorReply`):
  // an application's client may come from another copy of node-redis than this package's.
  for (
    let proto = error instanceof Error ? Object.getPrototypeOf(error) : null;
    proto;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto.constructor?.name === 'ErrorReply') return true;
  }
  return false;
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
    const send = (command: readonly string[]) =>
      withTimeout(connection.sendCommand(command, { timeout }), timeout, 'Redis');
    try {
      return await send(['EVALSHA', digest, ...tail]);
    } catch (error) {
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      return send(['EVAL', script, ...tail]);
    }
  };
}

/**
 * Closes a client at once, whatever its state (node-redis throws when asked to close a client
 * that is not open).
 *
 * @param connection - the client
 */
export function destroyQuietly(connection: RedisConnection): void {
  try {
    if (connection.isOpen) connection.destroy();
  } catch {
    // Already closed.
  }
}
