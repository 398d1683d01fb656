import { isSseError, SseError } from '@app/sse-protocol';
import { describe, expect, it } from 'vitest';
import { isSseClientError, SseClientError } from './errors';

describe('SseClientError', () => {
  it('carries its code, reason and structured detail on the shared base', () => {
    const error = new SseClientError('http-status', 'the server answered 500', { status: 500, cause: 'x' });
    expect(error).toBeInstanceOf(SseError);
    expect(error.message).toBe('@app/sse-client: the server answered 500');
    expect({ code: error.code, reason: error.reason, detail: error.detail, cause: error.cause }).toEqual({
      code: 'http-status',
      reason: 'the server answered 500',
      detail: { event: undefined, paths: [], status: 500, fatal: false },
      cause: 'x',
    });
    expect([isSseClientError(error), isSseError(error), isSseClientError(new Error('x'))]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
