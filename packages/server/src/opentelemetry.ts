import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import type { EmitterCore } from './emitter-core';
import { METRICS, type ValueMetric } from './metric-definitions';
import { metricsOf } from './metrics';

/**
 * Exports an emitter's metrics through an OpenTelemetry meter: counters and gauges as observable
 * instruments, read in one batch callback when the SDK collects (nothing runs between two
 * collections), and histograms recorded as their values arrive. With the API's no-op meter (no SDK
 * registered) every call is a no-op.
 *
 * @param core - the emitter
 * @param meter - the meter
 * @returns a function that stops the export (called by `close()`)
 */
export function bindMeter(core: EmitterCore, meter: Meter): () => void {
  const observables = new Map<ValueMetric, Observable>();
  for (const metric of METRICS) {
    const options = { unit: metric.unit, description: metric.description };
    if (metric.kind === 'histogram') {
      const bounds = metric.sources(core.telemetry)[0]?.histogram.bounds;
      const instrument = meter.createHistogram(metric.name, {
        ...options,
        ...(bounds ? { advice: { explicitBucketBoundaries: [...bounds] } } : {}),
      });
      for (const { attributes, histogram } of metric.sources(core.telemetry)) {
        histogram.sink = { record: (value) => instrument.record(value, attributes) };
      }
    } else if (metric.kind === 'counter') {
      observables.set(metric, meter.createObservableCounter(metric.name, options));
    } else if (metric.kind === 'updowncounter') {
      observables.set(metric, meter.createObservableUpDownCounter(metric.name, options));
    } else {
      observables.set(metric, meter.createObservableGauge(metric.name, options));
    }
  }
  const observe: BatchObservableCallback = (result) => {
    const metrics = metricsOf(core);
    for (const [metric, instrument] of observables) {
      for (const { value, attributes } of metric.points(metrics))
        result.observe(instrument, value, attributes);
    }
  };
  const instruments = [...observables.values()];
  meter.addBatchObservableCallback(observe, instruments);
  return () => {
    meter.removeBatchObservableCallback(observe, instruments);
    for (const metric of METRICS) {
      if (metric.kind !== 'histogram') continue;
      for (const { histogram } of metric.sources(core.telemetry)) histogram.sink = undefined;
    }
  };
}
