import type { ReplayStore } from '@app/sse-server';
import { createClient } from '@redis/client';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createRedisStore,
  isRedisStoreError,
  type RedisConnection,
  type RedisStoreErrorCode,
  type RedisStoreOptions,
} from '../src/index';

describe('createRedisStore types', () => {
  it('takes a URL string, a URL or a node-redis client, and returns a ReplayStore', () => {
    expectTypeOf(
      createRedisStore({ redis: 'redis://127.0.0.1:6379', stream: 'sse:app' }),
    ).toEqualTypeOf<ReplayStore>();
    expectTypeOf(createRedisStore).toBeCallableWith({ redis: new URL('redis://h'), stream: 's', maxLen: 10 });
    expectTypeOf(createClient()).toMatchTypeOf<RedisConnection>();
    expectTypeOf(createRedisStore).toBeCallableWith({ redis: createClient(), stream: 's' });
  });

  it('refuses options of the wrong type at compile time', () => {
    // @ts-expect-error the stream key is required
    createRedisStore({ redis: 'redis://h' });
    // @ts-expect-error trimming is 'approximate' or 'exact'
    createRedisStore({ redis: 'redis://h', stream: 's', trimming: 'lazy' });
    // @ts-expect-error a number is no connection
    createRedisStore({ redis: 6379, stream: 's' });
    expectTypeOf<RedisStoreOptions['onError']>().toEqualTypeOf<
      ((error: import('../src/index').RedisStoreError) => void) | undefined
    >();
  });

  it('narrows errors to their literal codes', () => {
    const error: unknown = new Error('x');
    if (isRedisStoreError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<RedisStoreErrorCode>();
      expectTypeOf(error.detail.stream).toEqualTypeOf<string | undefined>();
    }
    expectTypeOf<RedisStoreErrorCode>().toEqualTypeOf<
      'store-unavailable' | 'store-failed' | 'invalid-option'
    >();
  });
});
