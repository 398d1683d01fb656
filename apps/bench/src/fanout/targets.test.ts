import { describe, expect, it } from 'vitest';
import type { FanoutMeasurement } from './run-fanout';
import { compareWithTargets, memoryRatio, pairedRatio } from './targets';

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
    burstLatencyP50Ms: 30,
    burstLatencyP99Ms: 60,
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

describe('memoryRatio', () => {
  it('divides, and has no ratio when the reference used no memory or gave some back', () => {
    expect(memoryRatio(12_000, 10_000)).toBe(1.2);
    expect(memoryRatio(12_000, 0)).toBeNaN();
    expect(memoryRatio(12_000, -300)).toBeNaN();
  });

  it('makes an RSS target unmeasurable, not met, when the raw writer RSS fell', () => {
    const [comparison] = compareWithTargets([
      measurement('ours-node', { rssPerConnectionBytes: 9000 }),
      measurement('raw', { rssPerConnectionBytes: -2000 }),
    ]);
    const rss = comparison?.checks.find((c) => c.name === 'RSS per idle connection, ours-node / raw');
    expect(rss?.value).toBeNaN();
    expect(rss?.met).toBe(false);
  });
});

describe('compareWithTargets', () => {
  it('compares the node:http2 adapter with the raw HTTP/2 writer, and not with better-sse', () => {
    const [comparison] = compareWithTargets([
      measurement('ours-http2', { deliveriesPerSecond: [90, 90, 90], rssPerConnectionBytes: 12_000 }),
      measurement('raw-http2', { deliveriesPerSecond: [60, 60, 60], rssPerConnectionBytes: 6000 }),
      measurement('raw', { deliveriesPerSecond: [1000, 1000, 1000] }),
      measurement('better-sse', { deliveriesPerSecond: [10, 10, 10] }),
    ]);
    expect(comparison?.checks.map((c) => [c.name, c.value, c.met])).toEqual([
      ['deliveries/s, ours-http2 / raw-http2', 1.5, true],
      ['single fan-out p99, ours-http2 / raw-http2', 1, true],
      ['RSS per idle connection, ours-http2 / raw-http2', 2, false],
    ]);
  });

  it('checks every target of Express and node:http at every connection count', () => {
    const measurements = [
      measurement('ours-express', {
        deliveriesPerSecond: [130, 130, 130],
        latencyP99Ms: 22,
        rssPerConnectionBytes: 8200,
      }),
      measurement('ours-node', { deliveriesPerSecond: [110, 110, 110] }),
      measurement('ours-fetch', { deliveriesPerSecond: [50, 50, 50] }),
      measurement('better-sse', { deliveriesPerSecond: [50, 60, 70] }),
      measurement('raw', {}),
      measurement('ours-express', { connections: 10_000, deliveriesPerSecond: [70, 70, 70] }),
      measurement('raw', { connections: 10_000 }),
    ];
    const [small, large] = compareWithTargets(measurements);
    expect(small?.connections).toBe(1000);
    expect(small?.checks.map((c) => [c.name, Number(c.value.toFixed(3)), c.met, c.everyCount])).toEqual([
      ['deliveries/s, ours-express / better-sse', 2.167, true, false],
      ['deliveries/s, ours-express / raw', 1.3, true, true],
      ['single fan-out p99, ours-express / raw', 1.1, true, false],
      ['RSS per idle connection, ours-express / raw', 1.025, true, false],
      ['deliveries/s, ours-node / better-sse', 1.833, true, false],
      ['deliveries/s, ours-node / raw', 1.1, false, true],
      ['single fan-out p99, ours-node / raw', 1, true, false],
      ['RSS per idle connection, ours-node / raw', 1, true, false],
    ]);
    expect(large?.connections).toBe(10_000);
    expect(large?.checks.map((c) => c.name)).not.toContain('deliveries/s, ours-express / better-sse');
    expect(large?.checks.find((c) => c.name === 'deliveries/s, ours-express / raw')?.met).toBe(false);
  });

  it('reports a failed server as missed targets, and skips servers that were not run', () => {
    const [withFailure] = compareWithTargets([
      measurement('ours-express', {}),
      measurement('raw', { error: 'crashed' }),
    ]);
    expect(withFailure?.checks.map((c) => [c.name, c.value, c.met])).toEqual([
      ['deliveries/s, ours-express / raw', Number.NaN, false],
      ['single fan-out p99, ours-express / raw', Number.NaN, false],
      ['RSS per idle connection, ours-express / raw', Number.NaN, false],
    ]);
    const [oursFailed] = compareWithTargets([
      measurement('ours-express', { error: 'crashed' }),
      measurement('better-sse', {}),
    ]);
    expect(oursFailed?.checks.map((c) => c.met)).toEqual([false]);
    expect(compareWithTargets([measurement('ours-fetch', {}), measurement('raw', {})])).toEqual([]);
  });
});
