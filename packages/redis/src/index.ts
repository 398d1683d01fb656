export { isRedisStoreError, RedisStoreError, type RedisStoreErrorCode } from './errors';
export { DEFAULT_MAX_LEN, DEFAULT_TIMEOUT_MS, type RedisStoreOptions } from './options';
export type { RedisConnection } from './redis-connection';
export { createRedisStore } from './redis-store';
