import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteChunksOf } from '../test/chunking';
import { eventStream } from '../test/event-stream-grammar';
import { parseLog } from '../test/parser-log';
import { readAll } from '../test/read-all';
import { createParserStream, type ParsedEvent, type ParserStreamOptions, type ProtocolError } from './index';

const encoder = new TextEncoder();
const BOM_BYTES = [0xef, 0xbb, 0xbf];

/** Pipes `chunks` through a parser stream and collects the events. */
async function collect(
  chunks: readonly (string | Uint8Array)[],
  options?: ParserStreamOptions,
): Promise<ParsedEvent[]> {
  const source = new ReadableStream<string | Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return readAll(source.pipeThrough(createParserStream(options)));
}

function bytes(...parts: (string | number[])[]): Uint8Array {
  const arrays = parts.map((part) =>
    typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part),
  );
  const out = new Uint8Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}

describe('createParserStream', () => {
  it('parses a fetch Response body', async () => {
    const body = new Response('id: 1\nevent: greet\ndata: hello\n\ndata: world\n\n').body;
    expect(body).not.toBeNull();
    expect(await readAll(body!.pipeThrough(createParserStream()))).toEqual([
      { id: '1', event: 'greet', data: 'hello' },
      { id: '1', event: 'message', data: 'world' },
    ]);
  });

  it('decodes multi-byte UTF-8 split at every byte border', async () => {
    const text = 'event: 日本\ndata: 😀 é 中文 𝄞\n\n';
    const all = encoder.encode(text);
    const expected = [{ id: '', event: '日本', data: '😀 é 中文 𝄞' }];
    for (let cut = 0; cut <= all.length; cut++) {
      expect(await collect([all.subarray(0, cut), all.subarray(cut)])).toEqual(expected);
    }
    expect(await collect(Array.from(all, (byte) => Uint8Array.of(byte)))).toEqual(expected);
  });

  it('gives the string parser result for random streams in random byte chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        eventStream().chain(({ text }) =>
          fc.tuple(fc.constant(text), byteChunksOf(encoder.encode(text), 24)),
        ),
        async ([text, chunks]) => {
          const expected = parseLog([text]).flatMap((entry) =>
            entry.kind === 'event' ? [{ id: entry.id, event: entry.event, data: entry.data }] : [],
          );
          expect(await collect(chunks)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('strips exactly one BOM from bytes', async () => {
    expect(await collect([bytes(BOM_BYTES, 'data: a\n\n')])).toEqual([
      { id: '', event: 'message', data: 'a' },
    ]);
    // A decoder that strips a BOM itself, before the parser strips another, would deliver "a" here.
    expect(await collect([bytes(BOM_BYTES, BOM_BYTES, 'data: a\n\ndata: b\n\n')])).toEqual([
      { id: '', event: 'message', data: 'b' },
    ]);
  });

  it('strips one BOM arriving one byte per chunk, and keeps a second one', async () => {
    const once = [...BOM_BYTES.map((byte) => Uint8Array.of(byte)), encoder.encode('data: a\n\n')];
    expect(await collect(once)).toEqual([{ id: '', event: 'message', data: 'a' }]);
    const twice = [
      ...[...BOM_BYTES, ...BOM_BYTES].map((byte) => Uint8Array.of(byte)),
      encoder.encode('data: a\n\ndata: b\n\n'),
    ];
    expect(await collect(twice)).toEqual([{ id: '', event: 'message', data: 'b' }]);
  });

  it('accepts decoded strings too', async () => {
    expect(await collect(['\uFEFFdata: a', '\r', '\n\r\n'])).toEqual([
      { id: '', event: 'message', data: 'a' },
    ]);
  });

  it('keeps text in order when a string follows bytes that end inside a character', async () => {
    // The held 0xC3 is an incomplete character: it comes before the string, as U+FFFD.
    expect(await collect([bytes('data:', [0xc3]), '\n\n', bytes([0xa9], '\n\n')])).toEqual([
      { id: '', event: 'message', data: '\uFFFD' },
    ]);
  });

  it('never emits an unterminated final event, and tolerates a truncated UTF-8 sequence at the end', async () => {
    expect(await collect([bytes('data: a\n\ndata: b\n')])).toEqual([{ id: '', event: 'message', data: 'a' }]);
    expect(await collect([bytes('data: a\n\ndata: ', [0xf0, 0x9f])])).toEqual([
      { id: '', event: 'message', data: 'a' },
    ]);
  });

  it("replaces invalid UTF-8 with U+FFFD, as the spec's UTF-8 decode does", async () => {
    expect(await collect([bytes('data: a', [0xff], 'b\n\n')])).toEqual([
      { id: '', event: 'message', data: 'a\uFFFDb' },
    ]);
  });

  it('passes onRetry, onComment, onError, maxBufferSize and lastEventId to the parser', async () => {
    const retries: number[] = [];
    const comments: string[] = [];
    const errors: ProtocolError[] = [];
    const events = await collect(
      [bytes(': hi\nretry: 2500\nbogus\n', 'data: ', 'x'.repeat(40), '\n\ndata: ok\n\n')],
      {
        onRetry: (ms) => retries.push(ms),
        onComment: (text) => comments.push(text),
        onError: (error) => errors.push(error),
        maxBufferSize: 32,
        lastEventId: '41',
      },
    );
    expect(events).toEqual([{ id: '41', event: 'message', data: 'ok' }]);
    expect(retries).toEqual([2500]);
    expect(comments).toEqual(['hi']);
    expect(errors.map((error) => error.code)).toEqual(['unknown-field', 'buffer-overflow']);
  });
});
