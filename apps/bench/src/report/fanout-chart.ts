import type { ServerKind } from '../fanout/messages';
import type { FanoutMeasurement } from '../fanout/run-fanout';
import { median } from '../statistics';
import { coordinate, escapeXml, niceCeil } from './svg';

/** Line colour and legend name of each server (colour-blind safe pair for ours / better-sse). */
const SERIES: Record<ServerKind, { color: string; name: string }> = {
  'ours-express': { color: '#2563eb', name: 'ours, Express' },
  'ours-node': { color: '#0891b2', name: 'ours, node:http' },
  'ours-fetch': { color: '#7c3aed', name: 'ours, fetch (Hono)' },
  'ours-http2': { color: '#059669', name: 'ours, node:http2' },
  'ours-http2-stream': { color: '#65a30d', name: 'ours, node:http2 stream' },
  'better-sse': { color: '#d97706', name: 'better-sse' },
  raw: { color: '#4b5563', name: 'raw node:http' },
  'raw-express': { color: '#be185d', name: 'raw, Express' },
  'raw-http2': { color: '#9ca3af', name: 'raw node:http2' },
};

const WIDTH = 980;
const HEIGHT = 440;
const PANEL_WIDTH = 450;
const MARGIN = { left: 72, right: 28, top: 84, bottom: 56 };
/** Legend entries per row: five fit left of the line-style key. */
const LEGEND_COLUMNS = 5;

interface Line {
  kind: ServerKind;
  dashed: boolean;
  points: { x: number; y: number }[];
}

interface Panel {
  title: string;
  yLabel: string;
  lines: Line[];
}

function panelSvg(panel: Panel, offsetX: number, counts: readonly number[]): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxX = Math.max(...counts);
  const maxY = niceCeil(Math.max(0, ...panel.lines.flatMap((l) => l.points.map((p) => p.y))) * 1.05);
  const px = (x: number) => offsetX + MARGIN.left + (x / maxX) * plotWidth;
  const py = (y: number) => MARGIN.top + plotHeight - (y / maxY) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<text x="${coordinate(offsetX + MARGIN.left)}" y="${MARGIN.top - 28}" font-size="15" font-weight="600">${escapeXml(panel.title)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const value = (maxY / 5) * i;
    const y = py(value);
    parts.push(
      `<line x1="${coordinate(px(0))}" x2="${coordinate(px(maxX))}" y1="${coordinate(y)}" y2="${coordinate(y)}" stroke="#e5e7eb"/>`,
      `<text x="${coordinate(px(0) - 8)}" y="${coordinate(y + 4)}" text-anchor="end" fill="#374151">${escapeXml(String(Math.round(value * 100) / 100))}</text>`,
    );
  }
  for (const count of counts) {
    parts.push(
      `<line x1="${coordinate(px(count))}" x2="${coordinate(px(count))}" y1="${coordinate(py(0))}" y2="${coordinate(py(0) + 5)}" stroke="#374151"/>`,
      `<text x="${coordinate(px(count))}" y="${coordinate(py(0) + 20)}" text-anchor="middle" fill="#374151">${escapeXml(count.toLocaleString('en-US'))}</text>`,
    );
  }
  parts.push(
    `<line x1="${coordinate(px(0))}" x2="${coordinate(px(maxX))}" y1="${coordinate(py(0))}" y2="${coordinate(py(0))}" stroke="#374151"/>`,
    `<text x="${coordinate(px(maxX / 2))}" y="${HEIGHT - 14}" text-anchor="middle" fill="#374151">connections</text>`,
    `<text transform="translate(${coordinate(offsetX + 18)} ${coordinate(MARGIN.top + plotHeight / 2)}) rotate(-90)" text-anchor="middle" fill="#374151">${escapeXml(panel.yLabel)}</text>`,
  );
  for (const line of panel.lines) {
    if (line.points.length === 0) continue;
    const { color } = SERIES[line.kind];
    const path = line.points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${coordinate(px(p.x))},${coordinate(py(p.y))}`)
      .join(' ');
    parts.push(
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="2.5"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    for (const p of line.points) {
      parts.push(
        `<circle cx="${coordinate(px(p.x))}" cy="${coordinate(py(p.y))}" r="4" fill="${line.dashed ? '#ffffff' : color}" stroke="${color}" stroke-width="2"/>`,
      );
    }
  }
  return parts.join('\n');
}

function series(
  measurements: readonly FanoutMeasurement[],
  kind: ServerKind,
  value: (m: FanoutMeasurement) => number,
): { x: number; y: number }[] {
  return measurements
    .filter((m) => m.kind === kind && m.error === null && Number.isFinite(value(m)))
    .map((m) => ({ x: m.connections, y: value(m) }))
    .sort((a, b) => a.x - b.x);
}

/**
 * Draws the fan-out results as a standalone SVG: deliveries per second (left) and single fan-out
 * latency p50 (dashed) and p99 (solid) (right), against the connection count, one colour per server.
 *
 * @param measurements - the measurements of a fan-out run
 * @returns the SVG document
 *
 * @example
 * ```ts
 * writeFileSync('docs/bench-fanout.svg', renderFanoutChart(result.measurements));
 * ```
 */
export function renderFanoutChart(measurements: readonly FanoutMeasurement[]): string {
  const kinds = (Object.keys(SERIES) as ServerKind[]).filter((k) => measurements.some((m) => m.kind === k));
  const counts = [...new Set(measurements.map((m) => m.connections))].sort((a, b) => a - b);
  const throughput: Panel = {
    title: 'Deliveries per second (higher is better)',
    yLabel: 'thousand deliveries / s',
    lines: kinds.map((kind) => ({
      kind,
      dashed: false,
      points: series(
        measurements,
        kind,
        (m) => median(m.deliveriesPerSecond.length > 0 ? m.deliveriesPerSecond : [Number.NaN]) / 1000,
      ),
    })),
  };
  const latency: Panel = {
    title: 'Single fan-out latency (lower is better)',
    yLabel: 'publish to received, ms',
    lines: kinds.flatMap((kind) => [
      { kind, dashed: false, points: series(measurements, kind, (m) => m.latencyP99Ms) },
      { kind, dashed: true, points: series(measurements, kind, (m) => m.latencyP50Ms) },
    ]),
  };
  // Rows of LEGEND_COLUMNS entries, left of the line-style key.
  const legend = kinds
    .map((kind, i) => {
      const x = MARGIN.left + (i % LEGEND_COLUMNS) * 132;
      const y = 16 + Math.floor(i / LEGEND_COLUMNS) * 20;
      const { color, name } = SERIES[kind];
      return `<line x1="${x}" x2="${x + 26}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="3"/><text x="${x + 32}" y="${y + 4}">${escapeXml(name)}</text>`;
    })
    .join('\n');
  const styleKey =
    `<line x1="${WIDTH - 250}" x2="${WIDTH - 224}" y1="16" y2="16" stroke="#111827" stroke-width="2.5"/><text x="${WIDTH - 218}" y="20">p99</text>` +
    `<line x1="${WIDTH - 170}" x2="${WIDTH - 144}" y1="16" y2="16" stroke="#111827" stroke-width="2.5" stroke-dasharray="6 4"/><text x="${WIDTH - 138}" y="20">p50 (latency panel)</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    '<title>Fan-out: deliveries per second and single fan-out latency against connection count</title>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    legend,
    styleKey,
    panelSvg(throughput, 0, counts),
    panelSvg(latency, WIDTH - PANEL_WIDTH, counts),
    '</svg>',
    '',
  ].join('\n');
}
