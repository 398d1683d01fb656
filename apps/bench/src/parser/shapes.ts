import { seededRandom } from '@app/test-utils/seeded-random';

/** One benchmark input: a whole event stream, already cut into the string chunks a parser is fed. */
export interface ParserShape {
  /** Short identifier used in tables and on the command line. */
  name: string;
  /** What the input looks like, for the report. */
  description: string;
  /** The decoded chunks, in order; prepared once, outside every timed region. */
  chunks: readonly string[];
  /** Total length of the stream in UTF-8 bytes. */
  bytes: number;
  /** How many events a conforming parser dispatches for this input. */
  expectedEvents: number;
}

/** A function returning the size of the next network read, in bytes. */
type ChunkSizes = () => number;

const encoder = new TextEncoder();

/**
 * Cuts the UTF-8 bytes of `text` as a network would and decodes them the way every client does
 * (a streaming `TextDecoder`), so multi-byte characters split across reads are joined exactly as
 * in production and no chunk ever holds half a surrogate pair.
 */
function chunkLikeNetwork(text: string, nextSize: ChunkSizes): { chunks: string[]; bytes: number } {
  const bytes = encoder.encode(text);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const chunks: string[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const end = Math.min(bytes.length, offset + nextSize());
    const piece = decoder.decode(bytes.subarray(offset, end), { stream: true });
    if (piece !== '') chunks.push(piece);
    offset = end;
  }
  const tail = decoder.decode();
  if (tail !== '') chunks.push(tail);
  return { chunks, bytes: bytes.length };
}

const fixed =
  (size: number): ChunkSizes =>
  () =>
    size;

function randomBetween(min: number, max: number, seed: number): ChunkSizes {
  const random = seededRandom(seed);
  return () => min + Math.floor(random() * (max - min + 1));
}

/** A realistic JSON payload of about 110 bytes, different for every event. */
function jsonPayload(seq: number): string {
  return JSON.stringify({
    type: 'order.updated',
    orderId: `ord_${(1_000_000 + seq).toString(36)}`,
    seq,
    status: seq % 3 === 0 ? 'shipped' : 'processing',
    total: Math.round(seq * 137.31) / 100,
    at: 1_732_000_000_000 + seq * 17,
  });
}

const MULTI_BYTE_WORDS = [
  'こんにちは世界',
  '数据流',
  '🚀',
  '👩‍💻',
  'Überraschung',
  'façade',
  '🎉🎉',
  '事件源',
  'Ωμέγα',
];

function multiBytePayload(seq: number): string {
  const words: string[] = [];
  for (let i = 0; i < 12; i++)
    words.push(MULTI_BYTE_WORDS[(seq + i * 7) % MULTI_BYTE_WORDS.length] as string);
  return JSON.stringify({ seq, text: words.join(' ') });
}

function namedEvents(count: number, eol: string, payload: (seq: number) => string): string {
  const parts: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    parts.push(`id: ${seq}${eol}event: order:updated${eol}data: ${payload(seq)}${eol}${eol}`);
  }
  return parts.join('');
}

function dataOnlyEvents(count: number): string {
  const parts: string[] = [];
  for (let seq = 1; seq <= count; seq++) parts.push(`data: ${jsonPayload(seq)}\n\n`);
  return parts.join('');
}

function multiLineEvents(count: number, linesPerEvent: number, lineLength: number): string {
  const parts: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    parts.push(`event: document${seq % 2 === 0 ? ':patch' : ':full'}\n`);
    for (let line = 0; line < linesPerEvent; line++) {
      const text = `${seq}:${line} `.padEnd(lineLength, 'abcdefghijklmnopqrstuvwxyz'[line % 26]);
      parts.push(`data: ${text}\n`);
    }
    parts.push('\n');
  }
  return parts.join('');
}

function hugeLine(sizeBytes: number): string {
  const unit = 'The quick brown fox jumps over the lazy dog. 0123456789 ';
  return `event: blob\ndata: ${unit.repeat(Math.ceil(sizeBytes / unit.length)).slice(0, sizeBytes)}\n\n`;
}

function shape(
  name: string,
  description: string,
  text: string,
  sizes: ChunkSizes,
  expectedEvents: number,
): ParserShape {
  const { chunks, bytes } = chunkLikeNetwork(text, sizes);
  return { name, description, chunks, bytes, expectedEvents };
}

/** Size of one network read for the shapes that arrive in ordinary reads. */
const READ_SIZE = 4096;
/** Ethernet TCP payload: the size a large line typically arrives in. */
const TCP_SEGMENT = 1460;
/** The one-line input: a single `data:` line of 8 MiB. */
const HUGE_LINE_BYTES = 8 * 1024 * 1024;
const EVENT_COUNT = 10_000;

/**
 * Builds every input shape of the parser benchmark. Deterministic: the same inputs on every run.
 *
 * @returns the shapes, in report order
 *
 * @example
 * ```ts
 * for (const shape of buildParserShapes()) console.log(shape.name, shape.chunks.length);
 * ```
 */
export function buildParserShapes(): ParserShape[] {
  const named = namedEvents(EVENT_COUNT, '\n', jsonPayload);
  const crlf = namedEvents(EVENT_COUNT, '\r\n', jsonPayload);
  return [
    shape(
      'data-only',
      `${EVENT_COUNT.toLocaleString('en-US')} \`data:\` events of ~110 B JSON, 4 KiB reads`,
      dataOnlyEvents(EVENT_COUNT),
      fixed(READ_SIZE),
      EVENT_COUNT,
    ),
    shape(
      'named-with-ids',
      `${EVENT_COUNT.toLocaleString('en-US')} events with \`id:\`, \`event:\` and one \`data:\` line, 4 KiB reads`,
      named,
      fixed(READ_SIZE),
      EVENT_COUNT,
    ),
    shape(
      'multi-byte',
      `${EVENT_COUNT.toLocaleString('en-US')} named events whose data is emoji, CJK and accented text, 4 KiB reads split inside characters`,
      namedEvents(EVENT_COUNT, '\n', multiBytePayload),
      fixed(READ_SIZE),
      EVENT_COUNT,
    ),
    shape(
      'small-chunks',
      `the named-with-ids stream in random 1-16 byte reads`,
      named,
      randomBetween(1, 16, 0x5eed),
      EVENT_COUNT,
    ),
    shape(
      'crlf',
      `the named-with-ids stream with CRLF line ends, 4 KiB reads`,
      crlf,
      fixed(READ_SIZE),
      EVENT_COUNT,
    ),
    shape(
      'crlf-small-chunks',
      `the CRLF stream in random 1-16 byte reads (CR and LF often in different reads)`,
      crlf,
      randomBetween(1, 16, 0xc0ffee),
      EVENT_COUNT,
    ),
    shape(
      'huge-line-1460',
      'one 8 MiB `data:` line in 1460 B reads (TCP segments)',
      hugeLine(HUGE_LINE_BYTES),
      fixed(TCP_SEGMENT),
      1,
    ),
    shape(
      'huge-line-16',
      'one 8 MiB `data:` line in 16 B reads (worst case for line buffering)',
      hugeLine(HUGE_LINE_BYTES),
      fixed(16),
      1,
    ),
    shape(
      'multi-line',
      '300 events of 64 `data:` lines of 100 B each (6.4 KB per event), 4 KiB reads',
      multiLineEvents(300, 64, 100),
      fixed(READ_SIZE),
      300,
    ),
  ];
}
