import { isSseError, SseError } from '@app/sse-protocol';
import { describe, expect, it } from 'vitest';
import { httpError, isSseServerError, SseServerError } from './errors';

describe('SseServerError', () => {
  it('prefixes its message with the package name and carries a code', () => {
    const error = new SseServerError('closed', 'the emitter is closed', { cause: 'x' });
    expect(error.message).toBe('@app/sse-server: the emitter is closed');
    expect(error).toMatchObject({
      name: 'SseServerError',
      code: 'closed',
      cause: 'x',
      reason: 'the emitter is closed',
    });
    expect(isSseServerError(error)).toBe(true);
    expect(isSseServerError(new Error('x'))).toBe(false);
    expect(isSseServerError(null)).toBe(false);
  });

  it('makes HTTP refusals with httpError()', () => {
    const forbidden = httpError(403);
    expect(forbidden).toMatchObject({ code: 'http-error', status: 403, reason: 'Forbidden', headers: {} });
    const custom = httpError(429, 'slow down', { 'Retry-After': '10' });
    expect(custom).toMatchObject({ status: 429, reason: 'slow down', headers: { 'Retry-After': '10' } });
    expect(httpError(418).reason).toBe('HTTP 418');
    expect(custom.detail).toEqual({ status: 429, headers: { 'Retry-After': '10' } });
    expect(custom).toBeInstanceOf(SseError);
    expect(isSseError(custom)).toBe(true);
    expect(() => httpError(200)).toThrow(
      '@app/sse-server: httpError() takes a status from 400 to 599, got 200',
    );
    expect(() => httpError(403.5)).toThrow(SseServerError);
  });
});
