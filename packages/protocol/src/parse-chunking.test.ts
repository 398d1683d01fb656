import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunksOf, everyTwoWaySplit, singleUnits } from '../test/chunking';
import { eventStream } from '../test/event-stream-grammar';
import { parserFixtures } from '../test/parser-fixtures';
import { parseLog } from '../test/parser-log';

// However a stream is cut, the parser must make exactly the callbacks it makes for the stream in one
// piece: lines, CRLF pairs, surrogate pairs and the BOM may all be split across chunks.
describe('createParser: every fixture, however it is cut', () => {
  describe.each(parserFixtures)('$name', ({ input, expected, options }) => {
    it('at every split point', () => {
      for (const [head, tail] of everyTwoWaySplit(input)) {
        expect(parseLog([head, tail], options), JSON.stringify([head, tail])).toEqual(expected);
      }
    });

    it('one UTF-16 code unit at a time', () => {
      expect(parseLog(singleUnits(input), options)).toEqual(expected);
    });

    it('in random chunks, empty ones included', () => {
      fc.assert(
        fc.property(chunksOf(input), (chunks) => {
          expect(parseLog(chunks, options)).toEqual(expected);
        }),
        { numRuns: 40 },
      );
    });
  });
});

describe('createParser: random streams, however they are cut', () => {
  it('gives the one-chunk result for random chunks (multi-byte characters, CR, LF and CRLF)', () => {
    fc.assert(
      fc.property(
        eventStream().chain(({ text }) => fc.tuple(fc.constant(text), chunksOf(text, 24))),
        ([text, chunks]) => {
          expect(parseLog(chunks)).toEqual(parseLog([text]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the one-chunk result for single code units', () => {
    fc.assert(
      fc.property(eventStream(), ({ text }) => {
        expect(parseLog(singleUnits(text))).toEqual(parseLog([text]));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the one-chunk result under a small maxBufferSize', () => {
    fc.assert(
      fc.property(
        eventStream().chain(({ text }) => fc.tuple(fc.constant(text), chunksOf(text, 24))),
        fc.integer({ min: 1, max: 24 }),
        ([text, chunks], maxBufferSize) => {
          expect(parseLog(chunks, { maxBufferSize })).toEqual(parseLog([text], { maxBufferSize }));
        },
      ),
      { numRuns: 200 },
    );
  });
});
