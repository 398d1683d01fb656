import { err, ev, type LogEntry, type LogOptions } from './parser-log';

/**
 * One rule of the WHATWG HTML "Interpreting an event stream" section
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation),
 * as a stream and the exact callbacks it must cause. The expectations are written by hand from the
 * spec text, never produced by the parser under test.
 */
export interface ParserFixture {
  /** The rule, as the spec states it. */
  name: string;
  /** The whole stream. */
  input: string;
  /** Every callback, in order. */
  expected: LogEntry[];
  options?: LogOptions;
}

const BOM = '\uFEFF';
const retry = (ms: number): LogEntry => ({ kind: 'retry', ms });
const comment = (text: string): LogEntry => ({ kind: 'comment', text });

export const parserFixtures: ParserFixture[] = [
  // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
  { name: 'one leading BOM is stripped', input: `${BOM}data: a\n\n`, expected: [ev('a')] },
  {
    name: 'only one BOM is stripped: a second one starts the field name',
    input: `${BOM}${BOM}data: a\n\ndata: b\n\n`,
    expected: [err('unknown-field'), ev('b')],
  },
  {
    name: 'a BOM after the stream start is text',
    input: `data: a\n\n${BOM}data: b\n\ndata:${BOM}c\n\n`,
    expected: [ev('a'), err('unknown-field'), ev(`${BOM}c`)],
  },
  { name: 'a BOM alone is an empty stream', input: BOM, expected: [] },

  // "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character
  // pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character."
  { name: 'LF line ends', input: 'data: a\ndata: b\n\n', expected: [ev('a\nb')] },
  { name: 'CR line ends', input: 'data: a\rdata: b\r\r', expected: [ev('a\nb')] },
  { name: 'CRLF line ends', input: 'data: a\r\ndata: b\r\n\r\n', expected: [ev('a\nb')] },
  {
    name: 'mixed line ends in one stream',
    input: 'data: a\rdata: b\ndata: c\r\n\r\ndata: d\n\r',
    expected: [ev('a\nb\nc'), ev('d')],
  },
  { name: 'CR then CRLF is two line ends', input: 'data: a\r\r\ndata: b\n\n', expected: [ev('a'), ev('b')] },
  { name: 'LF then CR is two line ends', input: 'data: a\n\rdata: b\n\n', expected: [ev('a'), ev('b')] },

  // "If the line starts with a U+003A COLON character (:) — Ignore the line." (reported to onComment)
  {
    name: 'comments are reported and neither dispatch nor reset the event',
    input: ': hello\ndata: a\n:  two spaces\n:\n:no space\n::colon\ndata: b\n\n',
    expected: [
      comment('hello'),
      comment(' two spaces'),
      comment(''),
      comment('no space'),
      comment(':colon'),
      ev('a\nb'),
    ],
  },
  {
    name: 'a comment-only block dispatches nothing',
    input: ': keep-alive\n\n',
    expected: [comment('keep-alive')],
  },

  // "Otherwise, the string is not empty but does not contain a U+003A COLON character (:) — Process the
  // field using the steps described below, using the whole line as the field name, and the empty
  // string as the field value."
  { name: '`data` without a colon is an empty data line', input: 'data\n\n', expected: [ev('')] },
  { name: 'two `data` lines without a colon give one LF', input: 'data\ndata\n\n', expected: [ev('\n')] },
  {
    name: '`event` without a colon is the default type',
    input: 'event: x\nevent\ndata: a\n\n',
    expected: [ev('a')],
  },
  {
    name: '`id` without a colon resets the last event ID',
    input: 'data: a\n\nid\ndata: b\n\n',
    expected: [ev('a', 'message', 'start'), ev('b')],
    options: { lastEventId: 'start' },
  },
  { name: '`retry` without a colon is ignored', input: 'retry\n', expected: [err('invalid-retry')] },
  {
    name: 'a bare unknown name is ignored',
    input: 'foo\ndata: a\n\n',
    expected: [err('unknown-field'), ev('a')],
  },

  // "Collect the characters on the line after the first U+003A COLON character (:), and let value be
  // that string. If value starts with a U+0020 SPACE character, remove it from value."
  {
    name: 'exactly one leading space is stripped',
    input: 'data:a\ndata: b\ndata:  c\ndata:\td\ndata: e \n\n',
    expected: [ev('a\nb\n c\n\td\ne ')],
  },
  { name: 'one space stripped from event', input: 'event:  spaced\ndata\n\n', expected: [ev('', ' spaced')] },
  { name: 'one space stripped from id', input: 'id:  7\ndata\n\n', expected: [ev('', 'message', ' 7')] },
  {
    name: 'colons after the first belong to the value',
    input: 'data:: a:b: c\n\n',
    expected: [ev(': a:b: c')],
  },

  // "Otherwise — The field is ignored." (reported as unknown-field)
  {
    name: 'unknown fields are ignored: names are exact and case-sensitive',
    input: 'foo: bar\nDATA: x\ndata : y\n data: z\nData: w\ndata: kept\n\n',
    expected: [
      err('unknown-field'),
      err('unknown-field'),
      err('unknown-field'),
      err('unknown-field'),
      err('unknown-field'),
      ev('kept'),
    ],
  },

  // data: "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF)
  // character to the data buffer." Dispatch: "If the data buffer's last character is a U+000A LINE
  // FEED (LF) character, then remove the last character from the data buffer."
  {
    name: 'data lines are joined with LF',
    input: 'data: a\ndata: b\ndata: c\n\n',
    expected: [ev('a\nb\nc')],
  },
  { name: 'only the last LF is removed', input: 'data: a\ndata:\n\n', expected: [ev('a\n')] },
  { name: 'data keeps NUL and other controls', input: 'data: a\0b\u0001\n\n', expected: [ev('a\0b\u0001')] },

  // "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty
  // string and return."
  {
    name: 'a block without data dispatches nothing',
    input: 'event: x\n\n\n\ndata: a\n\n',
    expected: [ev('a')],
  },
  { name: '`data:` with an empty value dispatches an empty string', input: 'data:\n\n', expected: [ev('')] },

  // "Set the data buffer and the event type buffer to the empty string." / default type "message"
  {
    name: '`event` resets after dispatch and defaults to message',
    input: 'event: a\ndata: 1\n\ndata: 2\n\nevent: a\nevent: b\ndata: 3\n\n',
    expected: [ev('1', 'a'), ev('2'), ev('3', 'b')],
  },
  {
    name: 'an event type before an empty block does not leak',
    input: 'event: x\n\ndata: a\n\n',
    expected: [ev('a')],
  },

  // id: "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the
  // field value. Otherwise, ignore the field." Dispatch: "Set the last event ID string of the event
  // source to the value of the last event ID buffer. The buffer does not get reset, so the last event
  // ID string of the event source remains set to this value until the next time it is set by the server."
  {
    name: 'the last event ID persists across later events',
    input: 'id: 1\ndata: a\n\ndata: b\n\nevent: c\ndata: c\n\n',
    expected: [ev('a', 'message', '1'), ev('b', 'message', '1'), ev('c', 'c', '1')],
  },
  {
    name: 'an id-only block moves the last event ID',
    input: 'id: 1\ndata: a\n\nid: x\n\ndata: b\n\n',
    expected: [ev('a', 'message', '1'), ev('b', 'message', 'x')],
  },
  {
    name: 'an empty id resets the last event ID',
    input: 'id: 1\ndata: a\n\nid:\ndata: b\n\n',
    expected: [ev('a', 'message', '1'), ev('b')],
  },
  {
    name: 'an id containing NUL is ignored',
    input: 'id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\nid: \0\ndata: c\n\n',
    expected: [ev('a', 'message', '1'), ev('b', 'message', '1'), ev('c', 'message', '1')],
  },
  {
    name: 'an id after the data applies to its event',
    input: 'data: a\nid: 5\n\n',
    expected: [ev('a', 'message', '5')],
  },
  {
    name: 'an id in an unfinished block does not apply to earlier events',
    input: 'id: 1\ndata: a\n\nid: 2\ndata: b\n',
    expected: [ev('a', 'message', '1')],
  },

  // retry: "If the field value consists of only ASCII digits, then interpret the field value as an
  // integer in base ten, and set the event stream's reconnection time to that integer. Otherwise,
  // ignore the field."
  {
    name: 'retry takes ASCII digits only',
    input:
      'retry: 1000\nretry:0\nretry: 0100\nretry: 1a\nretry: -1\nretry: 1.5\nretry:\nretry: +1\nretry: 1 \nretry:  5\nretry: \u0661\u0662\n',
    expected: [
      retry(1000),
      retry(0),
      retry(100),
      err('invalid-retry'),
      err('invalid-retry'),
      err('invalid-retry'),
      err('invalid-retry'),
      err('invalid-retry'),
      err('invalid-retry'),
      err('invalid-retry'),
      err('invalid-retry'),
    ],
  },
  {
    name: 'retry neither dispatches nor disturbs an event',
    input: 'data: a\nretry: 10\n\nretry: 5\n\n',
    expected: [retry(10), ev('a'), retry(5)],
  },

  // "Once the end of the file is reached, any pending data must be discarded. (If the file ends in the
  // middle of an event, before the final empty line, the incomplete event is not dispatched.)"
  {
    name: 'an unterminated final event is not dispatched',
    input: 'data: a\n\ndata: b\n',
    expected: [ev('a')],
  },
  { name: 'an unterminated final line is not processed', input: 'data: a\n\ndata: b', expected: [ev('a')] },
  { name: 'a final line ended by CR still needs its blank line', input: 'data: a\r', expected: [] },
  { name: 'an unterminated comment is not reported', input: ': partial', expected: [] },

  // Text is text: multi-byte characters travel untouched in every field.
  {
    name: 'multi-byte characters in every field',
    input: 'id: ид-😀\nevent: 日本\ndata: 😀 emoji\ndata: 中文 é\n\n',
    expected: [ev('😀 emoji\n中文 é', '日本', 'ид-😀')],
  },

  // maxBufferSize: a line longer than the limit is reported and skipped up to its end, and unless it
  // is a comment its event is dropped whole; so is an event whose data grows past the limit. All
  // regardless of how the input is cut.
  {
    name: 'an event with an oversized data line is dropped whole, never spliced',
    input: 'data: a\ndata: 0123456789abcdefghij\ndata: b\n\ndata: next\n\n',
    expected: [err('buffer-overflow'), ev('next')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'an event with an oversized event line is dropped, never delivered as a message',
    input: 'event: 0123456789abcdefghij\ndata: y\n\ndata: next\n\n',
    expected: [err('buffer-overflow'), ev('next')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'an event with an oversized id line is dropped, never delivered with a stale id',
    input: 'id: 1\ndata: x\n\nid: 0123456789abcdefghij\ndata: y\n\ndata: z\n\n',
    expected: [ev('x', undefined, '1'), err('buffer-overflow'), ev('z', undefined, '1')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'an oversized line ended by CRLF is skipped with its event, CRLF counted once',
    input: 'xxxxxxxxxxxxxxxxxxxxxxxx\r\ndata: no\r\n\r\ndata: ok\r\n\r\n',
    expected: [err('buffer-overflow'), ev('ok')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'an oversized comment is skipped',
    input: ': cccccccccccccccccccccc\ndata: ok\n\n',
    expected: [err('buffer-overflow'), ev('ok')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'a line of exactly maxBufferSize is kept',
    input: 'data: 0123456789\n\n',
    expected: [ev('0123456789')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'oversized event data is dropped whole, never truncated',
    input: 'event: big\ndata: 0123456789\ndata: 0123456789\ndata: 0123456789\n\ndata: next\n\n',
    expected: [err('buffer-overflow'), ev('next')],
    options: { maxBufferSize: 16 },
  },
  {
    name: 'an oversized unterminated line is reported once',
    input: `data: ok\n\n${'x'.repeat(40)}`,
    expected: [ev('ok'), err('buffer-overflow')],
    options: { maxBufferSize: 16 },
  },
];
