import { describe, expect, it } from 'vitest';
import type { FanoutMeasurement } from './run-fanout';
import { compareWithTargets, pairedRatio } from './targets';

function measurement(
  kind: FanoutMeasurement['kind'],
  overrides: Partial<FanoutMeasurement>,
): FanoutMeasurement {
  return {
    kind,
    label: kind,
    connections: 1000,
    error: null,
    connectSeconds: 1,
    burstEvents: 20,
    deliveriesPerSecond: [100, 100, 100],
    serverCpuMicrosPerDelivery: [2],
    loadUtilization: [0.5],
    latencyP50Ms: 10,
    latencyP99Ms: 20,
    fanoutCompleteMs: 25,
    rssPerConnectionBytes: 8000,
    heapPerConnectionBytes: 4000,
    ...overrides,
  };
}

describe('pairedRatio', () => {
  it('is the median of per-round ratios when both series have every round', () => {
    // per-round ratios 2, 0.5, 3 -> median 2; the ratio of medians would be 100/100 = 1
    expect(pairedRatio([200, 50, 300], [100, 100, 100])).toBe(2);
  });

  it('falls back to the ratio of medians when rounds are missing, NaN when a side is empty', () => {
    expect(pairedRatio([200, 400], [100, 100, 100])).toBe(3);
    expect(pairedRatio([], [1])).toBeNaN();
  });
});

describe('compareWithTargets', () => {
  it('checks every target at every connection count', () => {
    const measurements = [
      measurement('ours', {
        deliveriesPerSecond: [90, 90, 90],
        latencyP99Ms: 23,
        rssPerConnectionBytes: 9000,
      }),
      measurement('better-sse', { deliveriesPerSecond: [50, 60, 70] }),
      measurement('raw', {}),
      measurement('ours', { connections: 10_000, deliveriesPerSecond: [70, 70, 70] }),
      measurement('raw', { connections: 10_000 }),
    ];
    const [small, large] = compareWithTargets(measurements);
    expect(small?.connections).toBe(1000);
    expect(small?.checks.map((c) => [c.name, Number(c.value.toFixed(3)), c.met])).toEqual([
      ['deliveries/s, ours / better-sse', 1.5, true],
      ['deliveries/s, ours / raw', 0.9, true],
      ['single fan-out p99, ours / raw', 1.15, true],
      ['RSS per idle connection, ours / raw', 1.125, true],
    ]);
    expect(large?.connections).toBe(10_000);
    expect(large?.checks.map((c) => c.name)).not.toContain('deliveries/s, ours / better-sse');
    expect(large?.checks.find((c) => c.name === 'deliveries/s, ours / raw')?.met).toBe(false);
  });

  it('reports a failed server as missed targets, and skips servers that were not run', () => {
    const [withFailure] = compareWithTargets([
      measurement('ours', {}),
      measurement('raw', { error: 'crashed' }),
    ]);
    expect(withFailure?.checks.map((c) => [c.name, c.value, c.met])).toEqual([
      ['deliveries/s, ours / raw', Number.NaN, false],
      ['single fan-out p99, ours / raw', Number.NaN, false],
      ['RSS per idle connection, ours / raw', Number.NaN, false],
    ]);
    const [oursFailed] = compareWithTargets([
      measurement('ours', { error: 'crashed' }),
      measurement('better-sse', {}),
    ]);
    expect(oursFailed?.checks.map((c) => c.met)).toEqual([false]);
  });
});
