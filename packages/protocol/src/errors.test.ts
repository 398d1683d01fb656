import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appEvents } from '../test/app-events';
import {
  defineEvents,
  EventValidationError,
  formatPath,
  isEventValidationError,
  isProtocolError,
  ProtocolError,
} from './index';

describe('ProtocolError', () => {
  it('carries a code, a prefixed message, a name and an optional cause', () => {
    const cause = new Error('root');
    const error = new ProtocolError('invalid-field', 'id must not contain LF', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProtocolError');
    expect(error.code).toBe('invalid-field');
    expect(error.message).toBe('@app/sse-protocol: id must not contain LF');
    expect(error.cause).toBe(cause);
    expect(isProtocolError(error)).toBe(true);
    expect(isEventValidationError(error)).toBe(false);
  });

  it('is told apart from other values', () => {
    for (const value of [
      new Error('x'),
      new TypeError('x'),
      { code: 'invalid-field' },
      null,
      undefined,
      'error',
      0,
    ]) {
      expect(isProtocolError(value)).toBe(false);
      expect(isEventValidationError(value)).toBe(false);
    }
  });
});

describe('EventValidationError', () => {
  it('says which event, which path and why, in one line', () => {
    const result = appEvents.safeParse('cart:updated', { items: [{ name: 7, qty: 1 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    const { error } = result;
    expect(error.name).toBe('EventValidationError');
    expect(error.message).toMatch(
      /^@app\/sse-protocol: invalid "cart:updated" payload: data\.items\[0\]\.name: .*expected string, received number$/,
    );
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(isProtocolError(error)).toBe(true);
    expect(isEventValidationError(error)).toBe(true);
  });

  it('carries the zod issues as cause', () => {
    const parsed = appEvents.events['user:joined'].safeParse({ userId: 1 });
    const result = appEvents.safeParse('user:joined', { userId: 1 });
    expect(parsed.success || result.success).toBe(false);
    if (parsed.success || result.success) return;
    expect(result.error.cause).toEqual(parsed.error.issues);
    expect(result.error.cause.map((issue) => issue.code)).toEqual(['invalid_type', 'invalid_type']);
    expect(result.error.paths).toEqual(['data.userId', 'data.name']);
    expect(result.error.message).toContain('data.userId: ');
    expect(result.error.message).toContain('; data.name: ');
  });

  it('keeps the message on one line when a custom zod message spans several', () => {
    const catalog = defineEvents({
      e: z.object({ a: z.string().refine(() => false, { message: 'first line\nsecond line\r\n  third' }) }),
    });
    const result = catalog.safeParse('e', { a: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.message).toBe(
      '@app/sse-protocol: invalid "e" payload: data.a: first line second line third',
    );
  });

  it('quotes event names, so a strange name cannot break the line', () => {
    const error = new EventValidationError('odd\nname', [], 'unknown-event');
    expect(error.message).toBe(
      '@app/sse-protocol: unknown event "odd\\nname": the catalog does not define it',
    );
  });
});

describe('formatPath', () => {
  it.each([
    [[], 'data'],
    [['userId'], 'data.userId'],
    [['items', 0, 'name'], 'data.items[0].name'],
    [['a-b', 'c d', '$ok', '_x1'], 'data["a-b"]["c d"].$ok._x1'],
    [['0'], 'data["0"]'],
    [[Symbol('s')], 'data["Symbol(s)"]'],
  ] as [PropertyKey[], string][])('formats %j as %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});
