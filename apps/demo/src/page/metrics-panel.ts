import type { MetricsSample } from '../catalog';
import type { DashboardState } from '../dashboard-state';
import { byTestId, h } from './element';
import { drawChart } from './metrics-chart';

/** A metric the panel shows as a tile and can chart. */
interface MetricView {
  key: Exclude<keyof MetricsSample, 'at'>;
  label: string;
  unit: string;
  digits: number;
}

const METRICS: readonly MetricView[] = [
  { key: 'cpuPercent', label: 'CPU', unit: '%', digits: 1 },
  { key: 'eventsPerSecond', label: 'Events / s', unit: '', digits: 1 },
  { key: 'connections', label: 'Streams on the server', unit: '', digits: 0 },
  { key: 'eventLoopDelayMs', label: 'Loop delay p99', unit: 'ms', digits: 1 },
  { key: 'memoryMb', label: 'Memory', unit: 'MiB', digits: 0 },
];

/** The chart shows at most the last minute, and at least 10 s (a fresh server has little history). */
const MAX_WINDOW_MS = 60_000;
const MIN_WINDOW_MS = 10_000;

/**
 * The time span the chart shows: the history it has, between 10 s and 60 s, so a server that just
 * started fills the chart instead of drawing in its last corner.
 *
 * @param samples - the samples, oldest first
 */
export function chartWindowMs(samples: readonly MetricsSample[]): number {
  const first = samples[0];
  const last = samples.at(-1);
  const span = first && last ? last.at - first.at : 0;
  return Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, Math.ceil(span / 1000) * 1000));
}

let charted: MetricView = METRICS[0]!;
let latest: DashboardState | undefined;
const tiles = new Map<string, { button: HTMLButtonElement; value: HTMLSpanElement }>();

function format(metric: MetricView, value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(metric.digits);
}

function setUpTiles(): void {
  const container = byTestId('metric-tiles');
  for (const metric of METRICS) {
    const value = h('span', { class: 'tile-value' }, '–');
    const button = h(
      'button',
      { type: 'button', class: 'tile', role: 'tab', 'data-metric': metric.key, 'aria-selected': 'false' },
      h('span', { class: 'tile-label' }, metric.label),
      h('span', null, value, metric.unit ? h('span', { class: 'tile-unit' }, metric.unit) : null),
    );
    button.addEventListener('click', () => {
      charted = metric;
      if (latest) renderMetrics(latest);
    });
    tiles.set(metric.key, { button, value });
    container.append(button);
  }
}

/**
 * Renders the server health card: a tile per metric with its latest value, and a chart of the
 * selected one over the last minute.
 *
 * @param state - the dashboard model
 */
export function renderMetrics(state: DashboardState): void {
  if (tiles.size === 0) setUpTiles();
  latest = state;
  const sample = state.metrics.at(-1);
  for (const metric of METRICS) {
    const tile = tiles.get(metric.key)!;
    tile.value.textContent = format(metric, sample?.[metric.key]);
    tile.button.setAttribute('aria-selected', String(metric === charted));
  }
  const container = byTestId('metrics-chart');
  const windowMs = chartWindowMs(state.metrics);
  byTestId('chart-hint').textContent = `one sample a second · last ${Math.round(windowMs / 1000)} s`;
  const chart = drawChart({
    points: state.metrics.map((point) => ({ at: point.at, value: point[charted.key] })),
    windowMs,
    format: (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1)),
    width: container.clientWidth || 600,
    height: container.clientHeight || 180,
  });
  container.replaceChildren(
    chart,
    ...(state.metrics.length === 0
      ? [h('p', { class: 'chart-empty' }, 'Waiting for the first sample…')]
      : []),
  );
}
