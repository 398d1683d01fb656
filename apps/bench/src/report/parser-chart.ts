import type { ParserShapeResult } from '../parser/run-parser-bench';
import { coordinate, escapeXml, niceCeil } from './svg';

const WIDTH = 760;
const ROW = 28;
const LABEL_WIDTH = 160;
const TOP = 48;
const BOTTOM = 40;
const RIGHT = 70;

/**
 * Draws the parser results as a standalone SVG: one horizontal bar per input shape with the
 * throughput ratio ours / eventsource-parser, the middle half of the per-round ratios as a whisker,
 * and the parity line at 1.
 *
 * @param results - the per-shape results of a parser run
 * @returns the SVG document
 *
 * @example
 * ```ts
 * writeFileSync('docs/bench-parser.svg', renderParserChart(parser.results));
 * ```
 */
export function renderParserChart(results: readonly ParserShapeResult[]): string {
  const height = TOP + results.length * ROW + BOTTOM;
  const maxX = niceCeil(Math.max(1.5, ...results.map((r) => r.ratioHigh)));
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT;
  const px = (ratio: number) => LABEL_WIDTH + (ratio / maxX) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    '<title>Parser throughput: @app/sse-protocol / eventsource-parser per input shape</title>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LABEL_WIDTH}" y="22" font-size="15" font-weight="600">Parser throughput, ours / eventsource-parser (right of 1 = faster)</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (maxX / 4) * i;
    const x = px(value);
    parts.push(
      `<line x1="${coordinate(x)}" x2="${coordinate(x)}" y1="${TOP - 6}" y2="${coordinate(height - BOTTOM)}" stroke="#e5e7eb"/>`,
      `<text x="${coordinate(x)}" y="${coordinate(height - BOTTOM + 16)}" text-anchor="middle" fill="#374151">${escapeXml(String(value))}</text>`,
    );
  }
  results.forEach((r, i) => {
    const y = TOP + i * ROW;
    const color = r.ratio >= 1 ? '#16a34a' : '#dc2626';
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end" fill="#111827">${escapeXml(r.shape)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 5}" width="${coordinate(px(r.ratio) - LABEL_WIDTH)}" height="${ROW - 10}" fill="${color}" fill-opacity="0.8"/>`,
      `<line x1="${coordinate(px(r.ratioLow))}" x2="${coordinate(px(r.ratioHigh))}" y1="${y + ROW / 2}" y2="${y + ROW / 2}" stroke="#111827"/>`,
      `<text x="${coordinate(Math.max(px(r.ratio), px(r.ratioHigh)) + 6)}" y="${y + 17}" fill="#111827">${r.ratio.toFixed(2)}</text>`,
    );
  });
  parts.push(
    `<line x1="${coordinate(px(1))}" x2="${coordinate(px(1))}" y1="${TOP - 10}" y2="${coordinate(height - BOTTOM)}" stroke="#111827" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    `<text x="${coordinate(px(1))}" y="${TOP - 14}" text-anchor="middle" fill="#111827">parity</text>`,
    `<text x="${coordinate(LABEL_WIDTH + plotWidth / 2)}" y="${height - 6}" text-anchor="middle" fill="#374151">whole-input parses per second, ratio (bar: median of rounds, whisker: middle half of rounds)</text>`,
    '</svg>',
    '',
  );
  return parts.join('\n');
}
