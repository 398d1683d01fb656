import { afterEach, describe, expect, it } from 'vitest';
import { readAll } from '../test/read-all';
import { createParser, createParserStream, type ParsedEvent } from './index';

// The claim under test: cost stays linear in the input however it is chunked. Speed itself is the
// benchmark's business (apps/bench); these tests never assert a duration. They prove it two ways:
// 1. A single 8 MiB line is parsed correctly from chunks as small as 1 byte. A parser that rescans
//    or re-concatenates its pending buffer on every chunk does ~n^2/2 character operations here
//    (over 3 * 10^13 for 8 Mi one-character chunks): it could not finish within any test timeout.
// 2. The work is counted, not timed: every String.prototype.indexOf call made while parsing is
//    intercepted and the characters it examines are added up. A linear parser examines each input
//    character a bounded number of times; a quadratic one examines the growing buffer again and again.

const MiB = 1024 * 1024;
const originalIndexOf = String.prototype.indexOf;

afterEach(() => {
  String.prototype.indexOf = originalIndexOf;
});

/** Feeds `text` in `size`-unit chunks and returns the events. */
function feedInChunks(text: string, size: number): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  for (let offset = 0; offset < text.length; offset += size) parser.feed(text.slice(offset, offset + size));
  return events;
}

/** Runs `work` and returns how many characters every `indexOf` call made meanwhile examined. */
function charactersSearched(work: () => void): number {
  let examined = 0;
  String.prototype.indexOf = function indexOf(this: string, search: string, from?: number): number {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = originalIndexOf.call(this, search, from);
    examined += (found === -1 ? this.length : found + search.length) - start;
    return found;
  };
  try {
    work();
  } finally {
    String.prototype.indexOf = originalIndexOf;
  }
  return examined;
}

describe('createParser: cost linear in the input, however it is chunked', () => {
  const payload = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil((8 * MiB) / 36)).slice(0, 8 * MiB);
  const hugeLine = `data: ${payload}\n\n`;

  it.each([1460, 64, 7])(
    'parses a single 8 MiB line in %i-character chunks',
    (size) => {
      const events = feedInChunks(hugeLine, size);
      expect(events).toHaveLength(1);
      expect(events[0]?.data.length).toBe(payload.length);
      expect(events[0]?.data === payload).toBe(true);
    },
    30_000,
  );

  it('parses a single 8 MiB line in 1-character chunks', () => {
    const events = feedInChunks(hugeLine, 1);
    expect(events).toHaveLength(1);
    expect(events[0]?.data === payload).toBe(true);
  }, 60_000);

  it('parses a single 8 MiB line from 1460-byte chunks of bytes through createParserStream', async () => {
    const bytes = new TextEncoder().encode(hugeLine);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 1460)
          controller.enqueue(bytes.subarray(offset, offset + 1460));
        controller.close();
      },
    });
    const events = await readAll(body.pipeThrough(createParserStream()));
    expect(events).toHaveLength(1);
    expect(events[0]?.data === payload).toBe(true);
  }, 30_000);

  it.each([1, 7, 1460])(
    'examines each character a bounded number of times (1 MiB line, %i-character chunks)',
    (size) => {
      const line = `data: ${payload.slice(0, MiB)}\n\n`;
      let events: ParsedEvent[] = [];
      const examined = charactersSearched(() => {
        events = feedInChunks(line, size);
      });
      expect(events[0]?.data.length).toBe(MiB);
      // The line end search sees every character at least once (the count is not vacuous) ...
      expect(examined).toBeGreaterThanOrEqual(line.length);
      // ... and two searches (CR and LF) over each character, and nothing more. A parser searching its whole
      // pending buffer on every 1-character chunk would examine ~5 * 10^11 characters here.
      expect(examined).toBeLessThanOrEqual(2 * line.length);
    },
  );

  it('examines each character a bounded number of times for many short events in small chunks', () => {
    const text = 'id: 1\nevent: tick\ndata: {"n":1}\n\n'.repeat(20_000);
    let count = 0;
    const examined = charactersSearched(() => {
      const parser = createParser({ onEvent: () => count++ });
      for (let offset = 0; offset < text.length; offset += 5) parser.feed(text.slice(offset, offset + 5));
    });
    expect(count).toBe(20_000);
    // The CR and LF searches, plus the NUL check of each id value.
    expect(examined).toBeLessThanOrEqual(3 * text.length);
  });
});
