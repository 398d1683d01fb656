import { describe, expect, it } from 'vitest';
import { checkResponse, statusEnd } from './response-check';

const now = Date.parse('2030-01-01T00:00:00Z');

function response(status: number, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : '', { status, headers });
}

describe('checkResponse', () => {
  it('accepts 200 with text/event-stream, parameters and case aside', () => {
    expect(checkResponse(response(200, { 'content-type': 'text/event-stream' }), now)).toBeUndefined();
    expect(
      checkResponse(response(200, { 'content-type': 'TEXT/Event-Stream;charset=UTF-8' }), now),
    ).toBeUndefined();
  });

  it('refuses another or a missing content type, fatally', () => {
    for (const type of ['text/plain', 'text/event-streamx', '']) {
      const end = checkResponse(response(200, type === '' ? {} : { 'content-type': type }), now);
      expect(end).toMatchObject({
        kind: 'failed',
        retryable: false,
        error: { code: 'content-type', fatal: true },
      });
    }
  });

  it('classifies statuses', () => {
    const kinds = [204, 401, 403, 400, 404, 206, 301, 408, 429, 500, 503, 599].map((status) => {
      const end = checkResponse(response(status), now);
      return end?.kind === 'failed' ? [status, end.error.code, end.retryable] : [status, end?.kind];
    });
    expect(kinds).toEqual([
      [204, 'no-content'],
      [401, 'unauthorized', false],
      [403, 'unauthorized', false],
      [400, 'http-status', false],
      [404, 'http-status', false],
      [206, 'http-status', false],
      [301, 'http-status', false],
      [408, 'http-status', true],
      [429, 'http-status', true],
      [500, 'http-status', true],
      [503, 'http-status', true],
      [599, 'http-status', true],
    ]);
  });

  it('reads Retry-After on 429 and 503 only', () => {
    expect(statusEnd(503, '', '10', now)).toMatchObject({ retryAfterMs: 10_000 });
    expect(statusEnd(429, '', 'Tue, 01 Jan 2030 00:00:05 GMT', now)).toMatchObject({ retryAfterMs: 5000 });
    expect(statusEnd(500, '', '10', now)).toMatchObject({ retryAfterMs: undefined });
  });
});
