import { describe, expect, it } from 'vitest';
import { parserFixtures } from '../test/parser-fixtures';
import { ev, parseLog } from '../test/parser-log';
import {
  createParser,
  DEFAULT_MAX_BUFFER_SIZE,
  isProtocolError,
  type ParsedEvent,
  type ProtocolError,
} from './index';

describe('createParser: the WHATWG "Interpreting an event stream" rules, input in one chunk', () => {
  it.each(parserFixtures)('$name', ({ input, expected, options }) => {
    expect(parseLog([input], options)).toEqual(expected);
  });
});

describe('createParser: chunk borders', () => {
  it('strips a BOM that arrives alone in its own chunk, after empty chunks', () => {
    expect(parseLog(['', '\uFEFF', '', 'data: a\n\n'])).toEqual([ev('a')]);
  });

  it('keeps a second BOM that arrives in its own chunk', () => {
    expect(parseLog(['\uFEFF', '\uFEFF', 'data: a\n\ndata: b\n\n'])).toEqual([
      { kind: 'error', code: 'unknown-field' },
      ev('b'),
    ]);
  });

  it('joins a CR at the end of one chunk and an LF at the start of the next into one line end', () => {
    expect(parseLog(['data: a\r', '\ndata: b\r', '', '', '\n\r', '', '\n'])).toEqual([ev('a\nb')]);
  });

  it('dispatches at a CR ending a chunk at once, without waiting for the next chunk', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed('data: a\r\r');
    expect(events).toEqual([{ id: '', event: 'message', data: 'a' }]);
    parser.feed('\ndata: b\n');
    parser.feed('\r');
    expect(events.map((event) => event.data)).toEqual(['a', 'b']);
  });

  it('treats an LF after a CR that ended a line as belonging to it only once', () => {
    // "data: a" CR | LF CR | LF: the first LF completes a CRLF, the CR then ends a blank line, and
    // the second LF completes that CRLF too: one event, no phantom blank line.
    expect(parseLog(['data: a\r', '\n\r', '\ndata: b\n\n'])).toEqual([ev('a'), ev('b')]);
  });
});

describe('createParser: multi-line data (its lines are kept, then joined at dispatch)', () => {
  it("joins an event of fewer lines after a longer one without the longer one's leftover lines", () => {
    const input = 'data: a\ndata: b\ndata: c\n\ndata: d\ndata:\n\ndata: e\nid: 1\n\ndata: f\n\n';
    const expected = [ev('a\nb\nc'), ev('d\n'), ev('e', 'message', '1'), ev('f', 'message', '1')];
    expect(parseLog([input])).toEqual(expected);
    expect(parseLog([...input])).toEqual(expected);
  });

  it('drops an event whose joined lines pass maxBufferSize, counting the LFs between them', () => {
    // 'ab\ncd\nef\ngh' is 11 characters: within a bound of 11; one more (empty) line passes it.
    const lines = 'data: ab\ndata: cd\ndata: ef\ndata: gh\n';
    expect(parseLog([`${lines}\n`], { maxBufferSize: 11 })).toEqual([ev('ab\ncd\nef\ngh')]);
    expect(parseLog([`${lines}data:\n\ndata: x\n\n`], { maxBufferSize: 11 })).toEqual([
      { kind: 'error', code: 'buffer-overflow' },
      ev('x'),
    ]);
  });
});

describe('createParser: lastEventId', () => {
  it('starts from the lastEventId option and reports it on events', () => {
    expect(parseLog(['data: a\n\n'], { lastEventId: 'resume-7' })).toEqual([ev('a', 'message', 'resume-7')]);
  });

  it('exposes the last event ID string, which moves at dispatch and not before', () => {
    const parser = createParser({ lastEventId: 'x' });
    expect(parser.lastEventId).toBe('x');
    parser.feed('id: 1\n');
    expect(parser.lastEventId).toBe('x');
    parser.feed('\n');
    expect(parser.lastEventId).toBe('1');
    parser.feed('id:\n\n');
    expect(parser.lastEventId).toBe('');
  });

  it('defaults to the empty string', () => {
    expect(createParser().lastEventId).toBe('');
  });

  it('moves at the blank line after a heartbeat comment, which also ends the block and its event type', () => {
    const parser = createParser();
    parser.feed('id: 7\nevent: ignored\n: ping\n');
    expect(parser.lastEventId).toBe('');
    parser.feed('\n: ping\n\n');
    expect(parser.lastEventId).toBe('7');
    // Without onComment (heartbeats skipped on a faster path) and with it, the same events.
    for (const onComment of [undefined, () => {}]) {
      const events: ParsedEvent[] = [];
      const heartbeats = createParser({ onEvent: (event) => events.push(event), onComment });
      heartbeats.feed('id: 7\nevent: ignored\n: ping\n\ndata: a\n: ping\n\n: ping\n\ndata: b\n\n');
      expect(events).toEqual([
        { id: '7', event: 'message', data: 'a' },
        { id: '7', event: 'message', data: 'b' },
      ]);
    }
  });
});

describe('createParser: onLastEventId', () => {
  // Every callback in order, as `event:<data>@<id>` and `id:<id>`.
  function idLog(chunks: string[], onComment?: () => void): string[] {
    const log: string[] = [];
    const parser = createParser({
      onEvent: (event) => log.push(`event:${event.data}@${event.id}`),
      onLastEventId: (id) => log.push(`id:${id}`),
      onComment,
    });
    for (const chunk of chunks) parser.feed(chunk);
    return log;
  }
  const stream =
    'id: 5\ndata: a\n\nid: 6\ndata: b\n\nid: 5\n\ndata: c\n\nid: 5\n\n' +
    'id: 7\n: ping\n\r\nid\r\n\rdata: d\n\nid: x\0y\n\n';
  const expected = ['event:a@5', 'event:b@6', 'id:5', 'event:c@5', 'id:7', 'id:', 'event:d@'];

  it('reports an ID moved by a block without data, between the events around it, only when it changes', () => {
    expect(idLog([stream])).toEqual(expected);
  });

  it('reports the same however the stream is cut, with or without onComment', () => {
    for (const onComment of [undefined, () => {}]) {
      expect(idLog([...stream], onComment)).toEqual(expected);
      for (let cut = 1; cut < stream.length; cut++) {
        expect(idLog([stream.slice(0, cut), stream.slice(cut)], onComment)).toEqual(expected);
      }
    }
  });

  it('stops the current feed when it resets the parser', () => {
    const events: string[] = [];
    const parser = createParser({
      onEvent: (event) => events.push(event.data),
      onLastEventId: () => parser.reset(),
    });
    parser.feed('id: 1\n\ndata: lost\n\n');
    parser.feed('data: after\n\n');
    expect(events).toEqual(['after']);
    expect(parser.lastEventId).toBe('1');
  });
});

describe('createParser: reset()', () => {
  it('drops a partial line and a partial event', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed('data: first\ndata: part');
    parser.reset();
    parser.feed('ial\n\ndata: b\n\n');
    // After the reset, "ial" is an unknown field of the new stream, and "first" is gone.
    expect(events).toEqual([{ id: '', event: 'message', data: 'b' }]);
  });

  it('keeps the last event ID, as an EventSource keeps it across reconnects', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed('id: 7\ndata: a\n\nid: 8\n');
    parser.reset();
    parser.feed('data: b\n\n');
    expect(events.map((event) => event.id)).toEqual(['7', '7']);
    expect(parser.lastEventId).toBe('7');
  });

  it('expects a BOM again at the start of the new stream', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed('\uFEFFdata: a\n\n');
    parser.reset();
    parser.feed('\uFEFFdata: b\n\n');
    expect(events.map((event) => event.data)).toEqual(['a', 'b']);
  });

  it('stops the current feed when a callback resets the parser', () => {
    const events: string[] = [];
    const parser = createParser({
      onEvent: (event) => {
        events.push(event.data);
        if (event.data === 'stop') parser.reset();
      },
    });
    parser.feed('data: stop\n\ndata: lost\n\n');
    parser.feed('data: after\n\n');
    expect(events).toEqual(['stop', 'after']);
  });

  it.each([
    ['in one read', ['data: 12345\ndata: old\n\n\uFEFFdata: new\n\n']],
    ['ended by a later read', ['data: 1234', '5\ndata: old\n\n\uFEFFdata: new\n\n']],
  ])('stops the current feed when onError resets it for an oversized line %s', (_, chunks) => {
    const events: string[] = [];
    const parser = createParser({
      maxBufferSize: 10,
      onEvent: (event) => events.push(event.data),
      onError: () => parser.reset(),
    });
    for (const chunk of chunks) parser.feed(chunk);
    // Nothing of the feed that reset it reaches the new stream: not its next event, not its BOM.
    expect(events).toEqual([]);
    parser.feed('\uFEFFdata: new\n\n');
    expect(events).toEqual(['new']);
  });

  it('forgets an oversized line being skipped', () => {
    const errors: ProtocolError[] = [];
    const events: string[] = [];
    const parser = createParser({
      maxBufferSize: 8,
      onEvent: (event) => events.push(event.data),
      onError: (error) => errors.push(error),
    });
    parser.feed('xxxxxxxxxxxxxxxx');
    parser.reset();
    parser.feed('data: a\n\n');
    expect(events).toEqual(['a']);
    expect(errors.map((error) => error.code)).toEqual(['buffer-overflow']);
  });
});

describe('createParser: errors and misuse', () => {
  it('reports ignored input as a ProtocolError with a code and a prefixed message, and goes on', () => {
    const errors: ProtocolError[] = [];
    const events: string[] = [];
    const parser = createParser({
      onError: (error) => errors.push(error),
      onEvent: (event) => events.push(event.data),
    });
    parser.feed('bogus: 1\nretry: soon\ndata: still parsed\n\n');
    expect(events).toEqual(['still parsed']);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(isProtocolError(error)).toBe(true);
      expect(error.message.startsWith('@app/sse-protocol: ')).toBe(true);
    }
    expect(errors[0]?.code).toBe('unknown-field');
    expect(errors[0]?.message).toContain('"bogus"');
    expect(errors[1]?.code).toBe('invalid-retry');
    expect(errors[1]?.message).toContain('"soon"');
  });

  it('parses without any callback, and skips comments when onComment is absent', () => {
    const parser = createParser();
    expect(() => parser.feed(': c\nbogus\nretry: x\ndata: a\n\n')).not.toThrow();
  });

  it('throws invalid-option when given a function instead of options', () => {
    const onEvent = (_event: ParsedEvent): void => {};
    expect(() => createParser(onEvent as never)).toThrow(expect.objectContaining({ code: 'invalid-option' }));
    expect(() => createParser(onEvent as never)).toThrow(/createParser\(\{ onEvent \}\)/);
  });

  it('throws invalid-option when fed anything but a string', () => {
    const parser = createParser();
    expect(() => parser.feed(new TextEncoder().encode('data: a\n\n') as never)).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
    expect(() => parser.feed(42 as never)).toThrow(/decode bytes first/);
    expect(() => parser.feed(undefined as never)).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
  });

  it.each([0, -1, Number.NaN])('throws invalid-option for maxBufferSize %s', (maxBufferSize) => {
    expect(() => createParser({ maxBufferSize })).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
  });

  it('defaults maxBufferSize to 16 MiB', () => {
    expect(DEFAULT_MAX_BUFFER_SIZE).toBe(16 * 1024 * 1024);
    const line = `data: ${'x'.repeat(DEFAULT_MAX_BUFFER_SIZE - 6)}`;
    expect(parseLog([line.slice(0, 1000), line.slice(1000), '\n\n'])).toHaveLength(1);
    expect(parseLog([`${line}x\n\n`])).toEqual([{ kind: 'error', code: 'buffer-overflow' }]);
  }, 30_000);
});
