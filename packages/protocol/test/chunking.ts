import fc from 'fast-check';

/**
 * Cuts `text` at the given offsets (UTF-16 code units, in any order, repeats allowed: a repeated
 * offset gives an empty chunk, which parsers must tolerate).
 *
 * @param text - the text to cut
 * @param offsets - where to cut, each in `[0, text.length]`
 */
export function cutAt(text: string, offsets: readonly number[]): string[] {
  const sorted = [...offsets].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const offset of sorted) {
    chunks.push(text.slice(from, offset));
    from = offset;
  }
  chunks.push(text.slice(from));
  return chunks;
}

/** Every way to cut `text` in two: `['', text]`, `[text[0], text.slice(1)]`, ..., `[text, '']`. */
export function* everyTwoWaySplit(text: string): Generator<[string, string]> {
  for (let i = 0; i <= text.length; i++) yield [text.slice(0, i), text.slice(i)];
}

/** `text` one UTF-16 code unit at a time (so surrogate pairs and CRLF are split too). */
export function singleUnits(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text.charAt(i));
}

/**
 * Random cuts of `text`, empty chunks included.
 *
 * @param text - the text to cut
 * @param maxCuts - the most cut points @defaultValue 12
 */
export function chunksOf(text: string, maxCuts = 12): fc.Arbitrary<string[]> {
  return fc
    .array(fc.nat({ max: text.length }), { maxLength: maxCuts })
    .map((offsets) => cutAt(text, offsets));
}

/**
 * Random cuts of a byte sequence (so multi-byte UTF-8 characters are split across chunks).
 *
 * @param bytes - the bytes to cut
 * @param maxCuts - the most cut points @defaultValue 12
 */
export function byteChunksOf(bytes: Uint8Array, maxCuts = 12): fc.Arbitrary<Uint8Array[]> {
  return fc.array(fc.nat({ max: bytes.length }), { maxLength: maxCuts }).map((offsets) => {
    const sorted = [...offsets].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const offset of [...sorted, bytes.length]) {
      chunks.push(bytes.slice(from, offset));
      from = offset;
    }
    return chunks;
  });
}
