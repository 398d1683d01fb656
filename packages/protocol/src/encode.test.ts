import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunksOf } from '../test/chunking';
import { type LogEntry, parseLog } from '../test/parser-log';
import {
  assertFieldValue,
  assertRetry,
  encodeComment,
  encodeData,
  encodeEvent,
  encodeRetry,
  isProtocolError,
  type WireEvent,
} from './index';

// Any code point, with line breaks, NUL, BOM, colons and spaces made frequent, as they are the
// characters that could break framing if the encoder let them through.
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\0', '\uFEFF', ':', ' ', 'data: x', 'id: 1', '😀', '日'),
  },
);
const anyText = fc.string({ unit, maxLength: 40 });
const safeUnit = unit.filter((text) => !/[\r\n\0]/.test(text));
const id = fc.string({ unit: safeUnit, maxLength: 20 });
const eventName = fc.string({ unit: safeUnit, minLength: 1, maxLength: 20 });
const wireEvent: fc.Arbitrary<WireEvent> = fc.record(
  { id, event: eventName, data: anyText, retry: fc.nat() },
  { requiredKeys: ['data'] },
);

/** What parsing `encodeEvent(event)` must give: exactly this, nothing else. */
function expectedLog(event: WireEvent, previousId = ''): LogEntry[] {
  return [
    ...(event.retry === undefined ? [] : [{ kind: 'retry' as const, ms: event.retry }]),
    {
      kind: 'event',
      id: event.id ?? previousId,
      event: event.event ?? 'message',
      data: event.data.replace(/\r\n?/g, '\n'),
    },
  ];
}

function expectInvalidField(encode: () => unknown): void {
  try {
    encode();
  } catch (error) {
    expect(isProtocolError(error)).toBe(true);
    if (!isProtocolError(error)) return;
    expect(error.code).toBe('invalid-field');
    expect(error.message.startsWith('@app/sse-protocol: ')).toBe(true);
    return;
  }
  expect.fail('expected a ProtocolError with code invalid-field');
}

describe('encodeEvent', () => {
  it('writes id, event, retry and data lines and ends with a blank line', () => {
    expect(encodeEvent({ id: '1', event: 'notification', data: '{"message":"hi"}' })).toBe(
      'id: 1\nevent: notification\ndata: {"message":"hi"}\n\n',
    );
    expect(encodeEvent({ data: 'x', retry: 3000 })).toBe('retry: 3000\ndata: x\n\n');
    expect(encodeEvent({ data: '' })).toBe('data: \n\n');
    expect(encodeEvent({ id: '', data: 'reset' })).toBe('id: \ndata: reset\n\n');
  });

  it('splits data on CR, LF and CRLF into data lines', () => {
    expect(encodeEvent({ data: 'a\rb\nc\r\nd\n' })).toBe('data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n');
  });

  it('round-trips fuzzed events through the parser to exactly one event, however the output is cut', () => {
    fc.assert(
      fc.property(
        wireEvent.chain((event) => fc.tuple(fc.constant(event), chunksOf(encodeEvent(event)))),
        ([event, chunks]) => {
          expect(parseLog(chunks, { lastEventId: 'before' })).toEqual(expectedLog(event, 'before'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips a fuzzed sequence of events with no bleed between them', () => {
    fc.assert(
      fc.property(fc.array(wireEvent, { maxLength: 8 }), (events) => {
        let lastId = '';
        const expected = events.flatMap((event) => {
          const log = expectedLog(event, lastId);
          lastId = event.id ?? lastId;
          return log;
        });
        expect(parseLog([events.map(encodeEvent).join('')])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb', '\n', 'x\0', '1\n\ndata: injected'])('refuses id %j', (value) => {
    expectInvalidField(() => encodeEvent({ id: value, data: 'x' }));
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb', 'x\0', 'ping\n\ndata: injected', ''])('refuses event %j', (value) => {
    expectInvalidField(() => encodeEvent({ event: value, data: 'x' }));
  });

  it.each(['a\ud800', '\udc00b', 'x\udfff\ud800y'])('refuses id and event %j (a lone surrogate)', (value) => {
    // UTF-8 cannot carry it: the client would read U+FFFD and resume from an ID never sent.
    expectInvalidField(() => encodeEvent({ id: value, data: 'x' }));
    expectInvalidField(() => encodeEvent({ event: value, data: 'x' }));
    expect(encodeEvent({ id: '\ud83d\ude00', data: 'x' })).toBe('id: \ud83d\ude00\ndata: x\n\n');
  });

  it.each(['a\ud800', '\udc00b'])('refuses data %j (a lone surrogate would arrive as U+FFFD)', (value) => {
    expectInvalidField(() => encodeEvent({ data: value }));
    expectInvalidField(() => encodeData(value));
    expect(encodeEvent({ data: JSON.stringify(value) })).toBe(`data: ${JSON.stringify(value)}\n\n`);
  });

  it('refuses any id or event holding CR, LF or NUL (fuzzed), and never returns text for it', () => {
    const unsafe = fc
      .tuple(anyText, fc.constantFrom('\r', '\n', '\0'), anyText)
      .map(([head, breaker, tail]) => `${head}${breaker}${tail}`);
    fc.assert(
      fc.property(unsafe, fc.constantFrom<'id' | 'event'>('id', 'event'), (value, field) => {
        expectInvalidField(() => encodeEvent({ [field]: value, data: 'x' }));
        expectInvalidField(() => assertFieldValue(field, value));
      }),
      { numRuns: 200 },
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses retry %s', (retry) => {
    expectInvalidField(() => encodeEvent({ data: 'x', retry }));
    expectInvalidField(() => encodeRetry(retry));
    expectInvalidField(() => assertRetry(retry));
  });

  it('refuses data that is not a string', () => {
    expectInvalidField(() => encodeEvent({ data: { message: 'hi' } as never }));
    expectInvalidField(() => assertFieldValue('id', 7 as never));
  });
});

describe('encodeData', () => {
  it('writes one data line per line, keeping a leading space through the parser', () => {
    expect(encodeData('plain')).toBe('data: plain\n');
    expect(encodeData(' lead')).toBe('data:  lead\n');
    expect(encodeData('a\r\nb')).toBe('data: a\ndata: b\n');
    expect(parseLog([`${encodeData(' lead\n two')}\n`])).toEqual([
      { kind: 'event', id: '', event: 'message', data: ' lead\n two' },
    ]);
  });
});

describe('encodeRetry', () => {
  it.each([0, 1, 3000, Number.MAX_SAFE_INTEGER])('writes retry %i, which the parser reads back', (ms) => {
    expect(encodeRetry(ms)).toBe(`retry: ${ms}\n`);
    expect(parseLog([encodeRetry(ms)])).toEqual([{ kind: 'retry', ms }]);
  });
});

describe('encodeComment', () => {
  it('writes comment lines', () => {
    expect(encodeComment('ping')).toBe(': ping\n');
    expect(encodeComment()).toBe(':\n');
    expect(encodeComment('a\nb')).toBe(': a\n: b\n');
  });

  it('never produces a field or an event, whatever the text (fuzzed)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const expected = text.split(/\r\n|\r|\n/).map((line): LogEntry => ({ kind: 'comment', text: line }));
        // Followed by a blank line: still no event, since comments add no data.
        expect(parseLog([`${encodeComment(text)}\n`])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
