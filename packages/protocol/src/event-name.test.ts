import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseLog } from '../test/parser-log';
import { assertEventName, defineEvents, encodeEvent, isProtocolError, RESERVED_PREFIX } from './index';

function codeOf(name: string): string | undefined {
  try {
    defineEvents({ [name]: z.string() });
  } catch (error) {
    return isProtocolError(error) ? error.code : 'not a ProtocolError';
  }
  return undefined;
}

describe('event names', () => {
  it.each([
    'user:joined',
    'notification',
    'a',
    'orders/created',
    'prix é',
    '日本語',
    '😀',
    'SSE:upper',
    'x-sse:y',
    'a\u2028b',
  ])('accepts %j', (name) => {
    expect(codeOf(name)).toBeUndefined();
    expect(() => assertEventName(name)).not.toThrow();
  });

  it.each(['sse:hello', 'sse:reset', 'sse:', 'sse:anything'])('refuses the reserved name %j', (name) => {
    expect(RESERVED_PREFIX).toBe('sse:');
    expect(codeOf(name)).toBe('reserved-event-name');
    expect(() => assertEventName(name)).toThrow(/reserved "sse:" prefix/);
  });

  it.each([
    ['', 'empty'],
    ['a\nb', 'LF'],
    ['a\rb', 'CR'],
    ['a\r\n', 'CRLF'],
    ['a\0b', 'NUL'],
    ['a\tb', 'tab'],
    ['a\u001bb', 'ESC'],
    ['a\u007fb', 'DEL'],
    [' lead', 'leading space'],
    ['trail ', 'trailing space'],
    ['\u00a0nbsp', 'leading no-break space'],
    ['bom\uFEFF', 'trailing BOM'],
    ['half\ud800', 'lone surrogate'],
  ])('refuses %j (%s)', (name) => {
    expect(codeOf(name)).toBe('invalid-event-name');
  });

  it('messages start with the package name and quote the name', () => {
    expect(() => assertEventName('a\nb')).toThrow('@app/sse-protocol: event name "a\\nb"');
  });

  it('every accepted name travels in an event field and comes back unchanged (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), (name) => {
        let accepted = true;
        try {
          assertEventName(name);
        } catch {
          accepted = false;
        }
        if (!accepted) return;
        expect(parseLog([encodeEvent({ event: name, data: 'x' })])).toEqual([
          { kind: 'event', id: '', event: name, data: 'x' },
        ]);
      }),
      { numRuns: 100 },
    );
  });
});
