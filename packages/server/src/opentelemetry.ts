import type { BatchObservableCallback, Histogram, Meter, Observable } from '@opentelemetry/api';
import type { EmitterCore } from './emitter-core';
import { type HistogramMetric, METRICS, type MetricPoint, type ValueMetric } from './metric-definitions';
import { metricsOf } from './metrics';

/** Points of one metric, by their attributes (serialised). */
type Points = Map<string, MetricPoint>;

/** The instruments of one meter and the emitters exporting through it. */
interface MeterExport {
  readonly observables: Map<ValueMetric, Observable>;
  readonly histograms: Map<HistogramMetric, Histogram>;
  /** The open emitters, read at each collection. */
  readonly emitters: Set<EmitterCore>;
  /** What closed emitters counted, kept so that a counter never goes back when one closes. */
  readonly retired: Map<ValueMetric, Points>;
}

// One export per meter: instruments are identified by name in a meter, so two emitters on the same
// meter (the global one, by default) share them, and their points are added up (every metric is a
// total: a count, a sum of bytes). Two batch callbacks observing the same instruments with the
// same attributes would instead overwrite each other, the last emitter's values winning.
const exports = new WeakMap<Meter, MeterExport>();

/** Adds `points` of `metric` to `totals`, point by point (same attributes, one point). */
function addPoints(
  totals: Map<ValueMetric, Points>,
  metric: ValueMetric,
  points: readonly MetricPoint[],
): void {
  let into = totals.get(metric);
  if (into === undefined) {
    into = new Map();
    totals.set(metric, into);
  }
  for (const { attributes, value } of points) {
    const key = JSON.stringify(attributes);
    const known = into.get(key);
    into.set(key, { attributes, value: (known?.value ?? 0) + value });
  }
}

/** The meter's export, made with its instruments on first use (`core` gives the histogram bounds). */
function exportOf(meter: Meter, core: EmitterCore): MeterExport {
  const known = exports.get(meter);
  if (known !== undefined) return known;
  const made: MeterExport = {
    observables: new Map(),
    histograms: new Map(),
    emitters: new Set(),
    retired: new Map(),
  };
  for (const metric of METRICS) {
    const options = { unit: metric.unit, description: metric.description };
    if (metric.kind === 'histogram') {
      // Every emitter's histograms have the same bounds (see telemetry.ts).
      const bounds = metric.sources(core.telemetry)[0]?.histogram.bounds;
      made.histograms.set(
        metric,
        meter.createHistogram(metric.name, {
          ...options,
          ...(bounds ? { advice: { explicitBucketBoundaries: [...bounds] } } : {}),
        }),
      );
    } else if (metric.kind === 'counter') {
      made.observables.set(metric, meter.createObservableCounter(metric.name, options));
    } else if (metric.kind === 'updowncounter') {
      made.observables.set(metric, meter.createObservableUpDownCounter(metric.name, options));
    } else {
      made.observables.set(metric, meter.createObservableGauge(metric.name, options));
    }
  }
  const observe: BatchObservableCallback = (result) => {
    const totals = new Map<ValueMetric, Points>();
    for (const [metric, points] of made.retired) totals.set(metric, new Map(points));
    for (const core of made.emitters) {
      const metrics = metricsOf(core);
      for (const metric of made.observables.keys()) addPoints(totals, metric, metric.points(metrics));
    }
    for (const [metric, points] of totals) {
      const instrument = made.observables.get(metric) as Observable;
      for (const { value, attributes } of points.values()) result.observe(instrument, value, attributes);
    }
  };
  meter.addBatchObservableCallback(observe, [...made.observables.values()]);
  exports.set(meter, made);
  return made;
}

/**
 * Exports an emitter's metrics through an OpenTelemetry meter: counters and gauges as observable
 * instruments, read in one batch callback per meter when the SDK collects (nothing runs between
 * two collections), and histograms recorded as their values arrive. Emitters sharing a meter
 * export their totals. With the API's no-op meter (no SDK registered) every call is a no-op.
 *
 * @param core - the emitter
 * @param meter - the meter
 * @returns a function that ends the export, called by `close()` once every stream has ended: the
 * emitter's final counts stay in the meter's totals, and the emitter is no longer referenced
 */
export function bindMeter(core: EmitterCore, meter: Meter): () => void {
  const target = exportOf(meter, core);
  for (const [metric, instrument] of target.histograms) {
    for (const { attributes, histogram } of metric.sources(core.telemetry)) {
      histogram.sink = { record: (value) => instrument.record(value, attributes) };
    }
  }
  target.emitters.add(core);
  return () => {
    if (!target.emitters.delete(core)) return;
    const metrics = metricsOf(core);
    for (const metric of target.observables.keys()) addPoints(target.retired, metric, metric.points(metrics));
    for (const metric of target.histograms.keys()) {
      for (const { histogram } of metric.sources(core.telemetry)) histogram.sink = undefined;
    }
  };
}
