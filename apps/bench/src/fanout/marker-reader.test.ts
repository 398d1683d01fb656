import { describe, expect, it } from 'vitest';
import { createMarkerReader } from './marker-reader';
import { PAYLOAD_BYTES, TICK_EVENT, tickPayload } from './payload';

const encoder = new TextEncoder();

function frame(seq: number, stamp: number): string {
  const payload = { ...tickPayload(seq), '^': stamp };
  return `id: 1-${seq}\nevent: ${TICK_EVENT}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function readAll(chunks: Uint8Array[]): number[] {
  const reader = createMarkerReader();
  const stamps: number[] = [];
  for (const chunk of chunks) reader.feed(chunk, (t) => stamps.push(t));
  expect(reader.count).toBe(stamps.length);
  return stamps;
}

describe('tickPayload', () => {
  it('is exactly 1 KB of JSON with the marker once, stamped now', () => {
    const before = Number(process.hrtime.bigint() / 1000n);
    const payload = tickPayload(12345);
    const json = JSON.stringify(payload);
    expect(encoder.encode(json).length).toBe(PAYLOAD_BYTES);
    expect(json.split('^').length - 1).toBe(1);
    expect(json.startsWith('{"^":')).toBe(true);
    expect(payload['^']).toBeGreaterThanOrEqual(before - 1);
  });
});

describe('createMarkerReader', () => {
  const stream = `:ok\n\nretry: 3000\n\n${frame(1, 111)}: heartbeat\n\n${frame(2, 2222222)}${frame(3, 33)}`;
  const bytes = encoder.encode(stream);

  it('finds every tick and its publish time in one read', () => {
    expect(readAll([bytes])).toEqual([111, 2222222, 33]);
  });

  it('gives the same result for every split point (marker, `":` and digits cut between reads)', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([111, 2222222, 33]);
    }
  });

  it('gives the same result byte by byte', () => {
    expect(readAll(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual([111, 2222222, 33]);
  });

  it('ignores a marker byte not followed by `":`', () => {
    const noisy = encoder.encode(`data: x^y ^\n\n${frame(4, 44)}data: ^"\n\n`);
    expect(readAll([noisy])).toEqual([44]);
  });

  it('does not count a tick before its number is complete', () => {
    const reader = createMarkerReader();
    const stamps: number[] = [];
    reader.feed(encoder.encode('data: {"^":123'), (t) => stamps.push(t));
    expect(reader.count).toBe(0);
    reader.feed(encoder.encode('45,"seq":1}\n\n'), (t) => stamps.push(t));
    expect(stamps).toEqual([12345]);
  });
});
