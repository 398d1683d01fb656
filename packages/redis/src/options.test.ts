import { describe, expect, it } from 'vitest';
import { isRedisStoreError } from './errors';
import { DEFAULT_MAX_LEN, DEFAULT_TIMEOUT_MS, type RedisStoreOptions, resolveOptions } from './options';

/** The code and message of what `resolveOptions` throws for `options`. */
function refusal(options: unknown): { code: string; message: string } {
  try {
    resolveOptions(options as RedisStoreOptions);
  } catch (error) {
    if (isRedisStoreError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('createRedisStore options', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveOptions({ redis: 'redis://127.0.0.1:6379', stream: 'sse:app' });
    expect({ maxLen: resolved.maxLen, timeoutMs: resolved.timeoutMs, trimming: resolved.trimming }).toEqual({
      maxLen: DEFAULT_MAX_LEN,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      trimming: '~',
    });
    expect([DEFAULT_MAX_LEN, DEFAULT_TIMEOUT_MS]).toEqual([100_000, 2000]);
  });

  it('accepts a URL object and exact trimming', () => {
    const resolved = resolveOptions({
      redis: new URL('rediss://cache:6380'),
      stream: 's',
      trimming: 'exact',
    });
    expect([resolved.redis, resolved.trimming]).toEqual(['rediss://cache:6380', '=']);
  });

  it.each([
    ['no object', undefined, /options object/],
    ['an empty stream key', { redis: 'redis://h', stream: '' }, /stream/],
    ['a URL of another scheme', { redis: 'http://h:6379', stream: 's' }, /redis:\/\//],
    ['something that is no client', { redis: { get: () => 1 }, stream: 's' }, /node-redis client/],
    ['a negative maxLen', { redis: 'redis://h', stream: 's', maxLen: -1 }, /maxLen/],
    ['a fractional timeoutMs', { redis: 'redis://h', stream: 's', timeoutMs: 1.5 }, /timeoutMs/],
    ['a zero timeoutMs', { redis: 'redis://h', stream: 's', timeoutMs: 0 }, /timeoutMs/],
    ['an unknown trimming', { redis: 'redis://h', stream: 's', trimming: 'lazy' }, /trimming/],
    ['an onError that is no function', { redis: 'redis://h', stream: 's', onError: 'log' }, /onError/],
  ])('refuses %s with invalid-option', (_, options, message) => {
    const { code, message: text } = refusal(options);
    expect(code).toBe('invalid-option');
    expect(text).toMatch(message);
  });
});
