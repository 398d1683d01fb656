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

/** A tiny payload of 10-100 bytes (a counter, a flag, a short status). */
function tinyPayload(seq: number): string {
  const random = seededRandom(seq);
  return JSON.stringify({ n: seq, s: 'x'.repeat(Math.floor(random() * 80)) });
}

/** A typical JSON payload of 200 B - 2 KB: an object with a list of items, sized per event. */
function typicalPayload(seq: number): string {
  const random = seededRandom(0x7e57 + seq);
  const items: { sku: string; qty: number; title: string }[] = [];
  const count = 3 + Math.floor(random() * 30);
  for (let i = 0; i < count; i++) {
    items.push({
      sku: `sku_${(seq * 31 + i).toString(36)}`,
      qty: 1 + (i % 5),
      title: `Item ${i} of order ${seq}`,
    });
  }
  return JSON.stringify({ type: 'cart.updated', cartId: `cart_${seq.toString(36)}`, seq, items });
}

/** A large JSON payload of about `bytes` bytes on one line (a document, a search result page). */
function largePayload(seq: number, bytes: number): string {
  const rows: { id: number; name: string; tags: string[] }[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const row = {
      id: seq * 100_000 + i,
      name: `row ${i} of document ${seq}`,
      tags: ['alpha', 'beta', `t${i % 17}`],
    };
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return JSON.stringify({ seq, rows });
}

function dataEvents(count: number, payload: (seq: number) => string): string {
  const parts: string[] = [];
  for (let seq = 1; seq <= count; seq++) parts.push(`data: ${payload(seq)}\n\n`);
  return parts.join('');
}

/** Events between which a server sent `beats` heartbeat comments (a quiet stream kept alive). */
function commentHeavyEvents(count: number, beats: number): string {
  const parts: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    for (let beat = 0; beat < beats; beat++) parts.push(': keep-alive\n\n');
    parts.push(`id: ${seq}\nevent: order:updated\ndata: ${jsonPayload(seq)}\n\n`);
  }
  return parts.join('');
}

function namedEvents(count: number, eol: string, payload: (seq: number) => string): string {
  const parts: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    parts.push(`id: ${seq}${eol}event: order:updated${eol}data: ${payload(seq)}${eol}${eol}`);
  }
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
/** A large read (a fast local network, or a proxy that buffers). */
const LARGE_READ = 64 * 1024;
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
  // A CR at the very end may still be the first half of a CRLF, so a streaming parser holds it: a
  // comment after the last event lets every parser see that event's blank line end.
  const cr = `${namedEvents(EVENT_COUNT, '\r', jsonPayload)}: end\r`;
  return [
    shape(
      'tiny',
      `${(2 * EVENT_COUNT).toLocaleString('en-US')} \`data:\` events of 10-100 B, 4 KiB reads (many events per read)`,
      dataEvents(2 * EVENT_COUNT, tinyPayload),
      fixed(READ_SIZE),
      2 * EVENT_COUNT,
    ),
    shape(
      'data-only',
      `${EVENT_COUNT.toLocaleString('en-US')} \`data:\` events of ~110 B JSON, 4 KiB reads`,
      dataEvents(EVENT_COUNT, jsonPayload),
      fixed(READ_SIZE),
      EVENT_COUNT,
    ),
    shape(
      'typical-json',
      '5,000 `data:` events of 200 B - 2 KB JSON, 4 KiB reads',
      dataEvents(5000, typicalPayload),
      fixed(READ_SIZE),
      5000,
    ),
    shape(
      'typical-json-named',
      '5,000 events of 200 B - 2 KB JSON with `id:` and `event:`, 4 KiB reads',
      namedEvents(5000, '\n', typicalPayload),
      fixed(READ_SIZE),
      5000,
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
      'comment-heavy',
      '2,000 named events, each after 20 heartbeat comments, 4 KiB reads',
      commentHeavyEvents(2000, 20),
      fixed(READ_SIZE),
      2000,
    ),
    shape(
      'bytewise',
      'the first 1,000 named-with-ids events in 1 B reads',
      namedEvents(1000, '\n', jsonPayload),
      fixed(1),
      1000,
    ),
    shape(
      'small-chunks',
      `the named-with-ids stream in random 1-16 byte reads`,
      named,
      randomBetween(1, 16, 0x5eed),
      EVENT_COUNT,
    ),
    shape(
      'tcp-segments',
      'the named-with-ids stream in 1,460 B reads (TCP segments)',
      named,
      fixed(TCP_SEGMENT),
      EVENT_COUNT,
    ),
    shape('large-reads', 'the named-with-ids stream in 64 KiB reads', named, fixed(LARGE_READ), EVENT_COUNT),
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
      'cr-only',
      'the named-with-ids stream with CR line ends, 4 KiB reads',
      cr,
      fixed(READ_SIZE),
      EVENT_COUNT,
    ),
    shape(
      'large-json',
      '40 events of ~100 KB single-line JSON, 64 KiB reads',
      dataEvents(40, (seq) => largePayload(seq, 100_000)),
      fixed(LARGE_READ),
      40,
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
      '200 events of 100 `data:` lines of 100 B each (10 KB per event), 4 KiB reads',
      multiLineEvents(200, 100, 100),
      fixed(READ_SIZE),
      200,
    ),
    shape(
      'multi-line-1000',
      '20 events of 1,000 `data:` lines of 100 B each (100 KB per event), 64 KiB reads',
      multiLineEvents(20, 1000, 100),
      fixed(LARGE_READ),
      20,
    ),
  ];
}
