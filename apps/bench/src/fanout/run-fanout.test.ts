import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_KINDS } from './messages';
import { runFanoutBench } from './run-fanout';

// The child processes load TypeScript through tsx and the workspace packages from their sources.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('runFanoutBench', () => {
  it('measures every server end to end on real loopback connections', async () => {
    const lines: string[] = [];
    const connections = 20;
    const { measurements, loadAverages } = await runFanoutBench({
      connections: [connections],
      kinds: SERVER_KINDS,
      fanouts: 2,
      warmupFanouts: 1,
      bursts: 2,
      burstDeliveries: 200,
      warmupConnections: 5,
      pauseMs: 5,
      connectConcurrency: 8,
      stepTimeoutMs: 30_000,
      execArgv: ['--conditions=@app/source', '--import', tsx],
      profileDir: null,
      log: (line) => lines.push(line),
    });
    expect(measurements.map((m) => [m.kind, m.connections, m.error])).toEqual(
      SERVER_KINDS.map((kind) => [kind, connections, null]),
    );
    for (const m of measurements) {
      expect(m.burstEvents).toBe(10);
      expect(m.deliveriesPerSecond).toHaveLength(2);
      for (const rate of m.deliveriesPerSecond) expect(rate).toBeGreaterThan(0);
      expect(m.serverCpuMicrosPerDelivery).toHaveLength(2);
      for (const cpu of m.serverCpuMicrosPerDelivery) expect(cpu).toBeGreaterThan(0);
      for (const busy of m.loadUtilization) expect(busy).toBeGreaterThan(0);
      expect(m.latencyP50Ms).toBeGreaterThanOrEqual(0);
      expect(m.latencyP99Ms).toBeGreaterThanOrEqual(m.latencyP50Ms);
      expect(m.fanoutCompleteMs).toBeGreaterThanOrEqual(0);
      // Every event of every burst on every connection is timed.
      expect(m.burstLatencyP50Ms).toBeGreaterThanOrEqual(0);
      expect(m.burstLatencyP99Ms).toBeGreaterThanOrEqual(m.burstLatencyP50Ms);
      expect(Number.isFinite(m.rssPerConnectionBytes)).toBe(true);
      expect(m.connectSeconds).toBeGreaterThan(0);
    }
    expect(measurements.find((m) => m.kind === 'better-sse')?.label).toMatch(
      /^better-sse \d+\.\d+\.\d+ on express \d+\.\d+\.\d+$/,
    );
    expect(measurements.find((m) => m.kind === 'ours-fetch')?.label).toMatch(/hono/);
    expect(loadAverages).toHaveLength(1);
    expect(loadAverages[0]?.highest).toBeGreaterThanOrEqual(loadAverages[0]?.during ?? Number.NaN);
    expect(lines.some((l) => l.includes('deliveries/s'))).toBe(true);
  });
});
