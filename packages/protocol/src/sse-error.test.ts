import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineEvents } from './catalog';
import { encodeEvent } from './encode';
import { type EventValidationError, ProtocolError } from './errors';
import { isSseError, SseError } from './sse-error';

describe('SseError', () => {
  it('prefixes the message with its origin and keeps the reason and detail apart', () => {
    const error = new SseError('@app/example', 'broken', 'it broke', { part: 'wheel' }, 'why');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('@app/example: it broke');
    expect({ code: error.code, reason: error.reason, detail: error.detail, cause: error.cause }).toEqual({
      code: 'broken',
      reason: 'it broke',
      detail: { part: 'wheel' },
      cause: 'why',
    });
    expect('cause' in new SseError('@app/example', 'broken', 'no cause', {})).toBe(false);
  });

  it('is the base of the protocol errors, so no caller parses a message', () => {
    let thrown: unknown;
    try {
      encodeEvent({ id: 'a\nb', data: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect(isSseError(thrown)).toBe(true);
    expect((thrown as ProtocolError).message).toBe(`@app/sse-protocol: ${(thrown as ProtocolError).reason}`);

    const events = defineEvents({ ping: z.object({ at: z.number() }) });
    const result = events.safeParse('ping', { at: 'soon' });
    expect(result.success).toBe(false);
    const error = (result as { error: EventValidationError }).error;
    expect(error.detail).toEqual({ event: 'ping', paths: ['data.at'] });
    expect(error.reason).toMatch(/^invalid "ping" payload: data\.at: /);
  });

  it('recognises errors by brand, not by class identity', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@app/sse/error')]: true });
    expect([isSseError(foreign), isSseError(new Error('x')), isSseError(null), isSseError('x')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
