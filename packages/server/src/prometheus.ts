import type { NodeHandler, NodeRequest } from './adapters/node-http';
import type { EmitterCore } from './emitter-core';
import { METRICS, type MetricAttributes, type MetricDefinition } from './metric-definitions';
import { type EmitterMetrics, metricsOf } from './metrics';

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const UNIT_SUFFIX: Readonly<Record<string, string>> = { s: '_seconds', By: '_bytes' };

/** The Prometheus name of a metric: dots to underscores, the unit and, for counters, `_total`. */
export function prometheusName(metric: MetricDefinition): string {
  const base = metric.name.replaceAll('.', '_') + (UNIT_SUFFIX[metric.unit] ?? '');
  return metric.kind === 'counter' ? `${base}_total` : base;
}

// Label values are escaped as the format requires: backslash, double quote and line feed.
const escapeValue = (value: string): string =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

function labels(attributes: MetricAttributes, extra?: string): string {
  const parts = Object.entries(attributes).map(
    ([name, value]) => `${name.replaceAll('.', '_')}="${escapeValue(value)}"`,
  );
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const TYPE = { counter: 'counter', updowncounter: 'gauge', gauge: 'gauge', histogram: 'histogram' } as const;

/**
 * Renders an emitter's metrics in the Prometheus text exposition format (version 0.0.4): the same
 * metrics as the OpenTelemetry instruments, under Prometheus names (`sse_server_connections`,
 * `sse_server_events_published_total`, `sse_server_publish_duration_seconds`, ...).
 *
 * @param metrics - from `sse.metrics()`
 * @returns the exposition text
 * @example
 * ```ts
 * app.get('/metrics', (c) => c.text(toPrometheusText(sse.metrics()), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE }));
 * ```
 */
export function toPrometheusText(metrics: EmitterMetrics): string {
  const lines: string[] = [];
  for (const metric of METRICS) {
    const name = prometheusName(metric);
    lines.push(`# HELP ${name} ${metric.description.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}`);
    lines.push(`# TYPE ${name} ${TYPE[metric.kind]}`);
    if (metric.kind !== 'histogram') {
      for (const { attributes, value } of metric.points(metrics))
        lines.push(`${name}${labels(attributes)} ${value}`);
      continue;
    }
    for (const { attributes, histogram } of metric.series(metrics)) {
      let cumulative = 0;
      histogram.bounds.forEach((bound, index) => {
        cumulative += histogram.counts[index] ?? 0;
        lines.push(`${name}_bucket${labels(attributes, `le="${bound}"`)} ${cumulative}`);
      });
      lines.push(`${name}_bucket${labels(attributes, 'le="+Inf"')} ${histogram.count}`);
      lines.push(`${name}_sum${labels(attributes)} ${histogram.sum}`);
      lines.push(`${name}_count${labels(attributes)} ${histogram.count}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The Express / `node:http` handler of `sse.metricsHandler()`: answers with the metrics as
 * Prometheus text, read when the request arrives.
 *
 * @param core - the emitter
 */
export function createMetricsHandler(core: EmitterCore): NodeHandler<NodeRequest> {
  return (req, res) => {
    const body = toPrometheusText(metricsOf(core));
    const answer = res as unknown as {
      writeHead(status: number, headers: Record<string, string>): unknown;
      end(body?: string): unknown;
    };
    answer.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' });
    answer.end(req.method === 'HEAD' ? undefined : body);
  };
}
