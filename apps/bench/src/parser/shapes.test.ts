import { describe, expect, it } from 'vitest';
import { ours, theirs } from './contenders';
import { buildParserShapes } from './shapes';

const shapes = buildParserShapes();
const encoder = new TextEncoder();
const utf8Length = (chunks: readonly string[]) => chunks.reduce((n, c) => n + encoder.encode(c).length, 0);

describe('buildParserShapes', () => {
  it('builds every shape the benchmark reports, deterministically', () => {
    expect(shapes.map((s) => s.name)).toEqual([
      'tiny',
      'data-only',
      'typical-json',
      'typical-json-named',
      'named-with-ids',
      'multi-byte',
      'comment-heavy',
      'bytewise',
      'small-chunks',
      'tcp-segments',
      'large-reads',
      'crlf',
      'crlf-small-chunks',
      'cr-only',
      'large-json',
      'huge-line-1460',
      'huge-line-16',
      'multi-line',
      'multi-line-1000',
    ]);
    const again = buildParserShapes();
    expect(again.map((s) => s.chunks.length)).toEqual(shapes.map((s) => s.chunks.length));
    expect(again.find((s) => s.name === 'small-chunks')?.chunks.slice(0, 50)).toEqual(
      shapes.find((s) => s.name === 'small-chunks')?.chunks.slice(0, 50),
    );
  });

  it.each(shapes.map((s) => [s.name, s] as const))(
    '%s: both parsers dispatch the expected events, identically',
    (_, shape) => {
      const left = ours.collectEvents(shape.chunks);
      const right = theirs.collectEvents(shape.chunks);
      expect(left.length).toBe(shape.expectedEvents);
      expect(right).toEqual(left);
      expect(ours.countEvents(shape.chunks)).toBe(shape.expectedEvents);
      expect(theirs.countEvents(shape.chunks)).toBe(shape.expectedEvents);
    },
  );

  it('keeps every byte, and never hands a parser an empty chunk or half a surrogate pair', () => {
    for (const shape of shapes) {
      expect(utf8Length(shape.chunks)).toBe(shape.bytes);
      expect(shape.chunks.filter((c) => c.length === 0 || !c.isWellFormed())).toEqual([]);
    }
  });

  it('cuts inputs as described: small reads of 1-16 bytes, TCP segments of 1460, one 8 MiB line', () => {
    const byName = new Map(shapes.map((s) => [s.name, s]));
    const small = byName.get('small-chunks')?.chunks ?? [];
    expect(small.reduce((max, c) => Math.max(max, encoder.encode(c).length), 0)).toBeLessThanOrEqual(16);
    expect(byName.get('crlf')?.chunks.join('')).toContain('\r\n');
    const huge = byName.get('huge-line-1460');
    expect(huge?.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(huge?.chunks.length).toBe(Math.ceil((huge?.bytes ?? 0) / 1460));
    const multiByte = byName.get('multi-byte')?.chunks.join('') ?? '';
    expect(multiByte).toMatch(/🚀/u);
    expect(multiByte).toMatch(/世界/u);
  });

  it('sizes payloads as described: tiny 10-100 B, typical 200 B - 2 KB, large ~100 KB, CR-only lines, 1 B reads', () => {
    const byName = new Map(shapes.map((s) => [s.name, s]));
    const dataLengths = (name: string) =>
      ours.collectEvents(byName.get(name)?.chunks ?? []).map((event) => encoder.encode(event.data).length);
    const range = (lengths: number[]) => [Math.min(...lengths), Math.max(...lengths)];
    const [tinyMin, tinyMax] = range(dataLengths('tiny'));
    expect(tinyMin).toBeGreaterThanOrEqual(10);
    expect(tinyMax).toBeLessThanOrEqual(100);
    const [typicalMin, typicalMax] = range(dataLengths('typical-json'));
    expect(typicalMin).toBeGreaterThanOrEqual(200);
    expect(typicalMax).toBeLessThanOrEqual(2048);
    expect(Math.min(...dataLengths('large-json'))).toBeGreaterThanOrEqual(100_000);
    const cr = byName.get('cr-only')?.chunks.join('') ?? '';
    expect([cr.includes('\r'), cr.includes('\n')]).toEqual([true, false]);
    const bytewise = byName.get('bytewise');
    expect(bytewise?.chunks.length).toBe(bytewise?.bytes);
    expect(byName.get('comment-heavy')?.chunks.join('').split(': keep-alive').length).toBe(2000 * 20 + 1);
  });
});
