import { svg } from './element';

/** One point of the chart. */
export interface ChartPoint {
  /** Milliseconds since the epoch. */
  at: number;
  value: number;
}

/** What {@link drawChart} draws. */
export interface ChartInput {
  points: readonly ChartPoint[];
  /** The time window shown, ending at the newest point, in milliseconds. */
  windowMs: number;
  /** Formats an axis value. */
  format(value: number): string;
  /** Width and height in CSS pixels (the chart is drawn at its real size, so text is never stretched). */
  width: number;
  height: number;
}

const PADDING = { top: 10, right: 8, bottom: 22, left: 44 };

/**
 * The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above `value`,
 * so the axis reads 0 / 25 / 50 rather than 0 / 23.7 / 47.4.
 *
 * @param value - the largest value to fit
 */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * Draws a line-and-area chart of the points inside the window, with a baseline, a midline and a
 * top line labelled on the left, and the time span below.
 *
 * @param input - the points, the window, the size and the value format
 * @returns the `<svg>` element
 */
export function drawChart(input: ChartInput): SVGSVGElement {
  const { width, height, windowMs } = input;
  const plotWidth = Math.max(1, width - PADDING.left - PADDING.right);
  const plotHeight = Math.max(1, height - PADDING.top - PADDING.bottom);
  const newest = input.points.at(-1)?.at ?? Date.now();
  const points = input.points.filter((point) => point.at >= newest - windowMs);
  const max = niceCeiling(Math.max(0, ...points.map((point) => point.value)) * 1.1);
  const x = (at: number) => PADDING.left + plotWidth * (1 - (newest - at) / windowMs);
  const y = (value: number) => PADDING.top + plotHeight * (1 - value / max);

  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'Metric over time',
  });
  const gradient = svg(
    'linearGradient',
    { id: 'chart-fill', x1: 0, y1: 0, x2: 0, y2: 1 },
    svg('stop', { offset: '0%', 'stop-color': '#4f46e5', 'stop-opacity': 0.22 }),
    svg('stop', { offset: '100%', 'stop-color': '#4f46e5', 'stop-opacity': 0 }),
  );
  root.append(svg('defs', {}, gradient));

  for (const fraction of [0, 0.5, 1]) {
    const lineY = y(max * fraction);
    root.append(
      svg('line', { class: 'grid-line', x1: PADDING.left, x2: width - PADDING.right, y1: lineY, y2: lineY }),
    );
    const label = svg('text', {
      class: 'axis-label',
      x: PADDING.left - 8,
      y: lineY + 4,
      'text-anchor': 'end',
    });
    label.textContent = input.format(max * fraction);
    root.append(label);
  }
  const seconds = Math.round(windowMs / 1000);
  for (const [text, labelX, anchor] of [
    [`${seconds} s ago`, PADDING.left, 'start'],
    ['now', width - PADDING.right, 'end'],
  ] as const) {
    const label = svg('text', { class: 'axis-label', x: labelX, y: height - 4, 'text-anchor': anchor });
    label.textContent = text;
    root.append(label);
  }

  const first = points[0];
  const last = points.at(-1);
  if (first && last) {
    const line = points.map(
      (point, index) => `${index === 0 ? 'M' : 'L'}${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`,
    );
    const baseline = y(0).toFixed(1);
    root.append(
      svg('path', {
        class: 'series-area',
        d: `${line.join('')}L${x(last.at).toFixed(1)},${baseline}L${x(first.at).toFixed(1)},${baseline}Z`,
      }),
      svg('path', { class: 'series-line', d: line.join('') }),
      svg('circle', { class: 'series-dot', cx: x(last.at), cy: y(last.value), r: 3.5 }),
    );
  }
  return root;
}
