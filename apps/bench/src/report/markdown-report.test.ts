import { describe, expect, it } from 'vitest';
import type { FanoutBenchOptions, FanoutMeasurement } from '../fanout/run-fanout';
import type { MachineInfo } from './machine';
import { renderReport } from './markdown-report';
import { formatBytes, formatCount, formatInteger, formatMs, formatRatio } from './number-format';

const machine: MachineInfo = {
  cpuModel: 'Test CPU',
  cores: 2,
  memoryBytes: 8 * 1024 ** 3,
  os: 'Linux 6.1',
  node: 'v20.20.2',
  date: '2026-01-02T03:04:05.000Z',
  loadAverage: 0.5,
};

const options = {
  connections: [1000],
  kinds: ['ours-express', 'raw'],
  fanouts: 20,
  warmupFanouts: 3,
  bursts: 5,
  burstDeliveries: 200_000,
  warmupConnections: 100,
  pauseMs: 30,
  connectConcurrency: 256,
  stepTimeoutMs: 1000,
  execArgv: [],
  profileDir: null,
  log: () => {},
} satisfies FanoutBenchOptions;

function measurement(
  kind: FanoutMeasurement['kind'],
  overrides: Partial<FanoutMeasurement> = {},
): FanoutMeasurement {
  return {
    kind,
    label: `${kind} label`,
    connections: 1000,
    error: null,
    connectSeconds: 0.5,
    burstEvents: 200,
    deliveriesPerSecond: [300_000],
    serverCpuMicrosPerDelivery: [2],
    loadUtilization: [0.5],
    latencyP50Ms: 8,
    latencyP99Ms: 20,
    fanoutCompleteMs: 15,
    burstLatencyP50Ms: 40,
    burstLatencyP99Ms: 80,
    rssPerConnectionBytes: 9000,
    heapPerConnectionBytes: 5000,
    ...overrides,
  };
}

/** The report of a fan-out-only run of these measurements, without charts. */
function fanoutOnlyReport(measurements: FanoutMeasurement[]): string {
  return renderReport({
    machine,
    command: 'pnpm bench --only=fanout',
    packagesFrom: 'dist',
    parser: null,
    fanout: { result: { measurements, loadAverages: [] }, options },
    parserChart: null,
    fanoutChart: null,
    durationSeconds: 1,
  });
}

describe('number formats', () => {
  it('formats counts, ratios, times and sizes for the tables', () => {
    expect(formatCount(123456.7)).toBe('123,457');
    expect(formatCount(12.345)).toBe('12.3');
    expect(formatCount(1.234)).toBe('1.23');
    expect(formatInteger(10000)).toBe('10,000');
    expect(formatRatio(1.234)).toBe('1.23x');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatBytes(10_140)).toBe('9.9 KiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatCount(Number.NaN)).toBe('n/a');
  });
});

describe('renderReport', () => {
  it('writes the machine, the targets with their verdicts, the measurements and the method', () => {
    const report = renderReport({
      machine,
      command: 'pnpm bench',
      packagesFrom: 'dist',
      parser: null,
      fanout: {
        result: {
          measurements: [
            measurement('ours-express', {
              connections: 100,
              rssPerConnectionBytes: 12000,
              deliveriesPerSecond: [330_000],
            }),
            measurement('raw', { connections: 100 }),
            measurement('ours-express', { latencyP99Ms: 30, deliveriesPerSecond: [420_000] }),
            measurement('raw'),
          ],
          loadAverages: [
            { connections: 100, before: 0.4, during: 0.45, highest: 0.5, after: 0.5 },
            { connections: 1000, before: 0.5, during: 0.62, highest: 0.8, after: 0.7 },
          ],
        },
        options,
      },
      parserChart: null,
      fanoutChart: 'docs/bench-fanout.svg',
      durationSeconds: 42,
    });
    expect(report).toContain('| CPU | Test CPU, 2 cores |');
    expect(report).toContain('| Node.js | v20.20.2 |');
    expect(report).toContain('| ratio | target | 100 connections | 1,000 connections |');
    // Burst deliveries/s is a target at every count; the others only at the largest.
    expect(report).toContain(
      '| deliveries/s, ours-express / raw | >= 1.2 | **1.10x missed** | **1.40x** met |',
    );
    expect(report).toContain(
      '| single fan-out p99, ours-express / raw | <= 1.1 | 1.00x | **1.50x missed** |',
    );
    expect(report).toContain(
      '| RSS per idle connection, ours-express / raw | <= 1.05 | 1.33x (over) | **1.00x** met |',
    );
    expect(report).toContain('| server CPU per delivery, ours-express / raw | no target | 1.00x | 1.00x |');
    expect(report).toContain('| burst p99, ours-express / raw | no target | 1.00x | 1.00x |');
    expect(report).toContain(
      'Missed: deliveries/s, ours-express / raw at 100; single fan-out p99, ours-express / raw.',
    );
    expect(report).toContain(
      '| ours-express label | 1,000 | 420,000 | 2.00 µs | 50% | 8.0 ms | 30.0 ms | 15.0 ms | 40.0 ms | 80.0 ms | 8.8 KiB | 4.9 KiB | 0.5 s | 0.62 (max 0.80) |',
    );
    expect(report).toContain('0.62 during 1,000 connections (highest 0.80)');
    expect(report).toContain(
      '![Deliveries per second and single fan-out latency against connections](docs/bench-fanout.svg)',
    );
    expect(report).toContain('## Method');
    expect(report).not.toContain('**Parser.**');
  });

  it('says so when every target is met at the largest count', () => {
    const report = fanoutOnlyReport([
      measurement('ours-express', { deliveriesPerSecond: [400_000] }),
      measurement('ours-fetch', { deliveriesPerSecond: [150_000] }),
      measurement('raw'),
    ]);
    expect(report).toContain('Every target is met.');
    // The fetch adapter has no target: its ratios are reported beside them.
    expect(report).toContain('| deliveries/s, ours-fetch / raw | no target | 0.50x |');
    expect(report).not.toContain('![');
  });

  it("separates Express's own memory per stream from what ours adds under Express", () => {
    const report = fanoutOnlyReport([
      measurement('ours-express', { rssPerConnectionBytes: 15_000, heapPerConnectionBytes: 9_000 }),
      measurement('raw', { rssPerConnectionBytes: 10_000, heapPerConnectionBytes: 6_000 }),
      measurement('raw-express', { rssPerConnectionBytes: 16_000, heapPerConnectionBytes: 10_000 }),
    ]);
    expect(report).toContain('| RSS per idle connection, ours-express / raw | <= 1.05 | **1.50x missed** |');
    expect(report).toContain('| RSS per idle connection, raw-express / raw | no target | 1.60x |');
    expect(report).toContain('| heap per idle connection, raw-express / raw | no target | 1.67x |');
    expect(report).toContain('| RSS per idle connection, ours-express / raw-express | no target | 0.94x |');
    expect(report).toContain('| heap per idle connection, ours-express / raw-express | no target | 0.90x |');
    expect(report).toContain('raw-express is the same handler mounted in Express 5');
  });

  it('lists the parser shapes with the ratio and says where ours is slower', () => {
    const report = renderReport({
      machine,
      command: 'pnpm bench --only=parser',
      packagesFrom: 'src',
      parser: {
        ours: '@app/sse-protocol',
        theirs: 'eventsource-parser',
        theirsVersion: '3.1.1',
        rounds: 12,
        sampleMs: 100,
        clock: 'wall',
        results: [
          {
            shape: 'crlf',
            description: 'CRLF',
            bytes: 2048,
            chunks: 10,
            events: 5,
            oursOpsPerSecond: 900,
            theirsOpsPerSecond: 1000,
            ratio: 0.9,
            ratioLow: 0.85,
            ratioHigh: 0.95,
          },
          {
            shape: 'data-only',
            description: 'data',
            bytes: 4096,
            chunks: 2,
            events: 5,
            oursOpsPerSecond: 990,
            theirsOpsPerSecond: 1000,
            ratio: 0.99,
            ratioLow: 0.93,
            ratioHigh: 1.04,
          },
        ],
      },
      fanout: null,
      parserChart: null,
      fanoutChart: null,
      durationSeconds: 1,
    });
    expect(report).toContain('| `crlf` | CRLF | 2.0 KiB | 10 | 900.0 | 1,000 | **0.90x** | 0.85 to 0.95 |');
    expect(report).toContain(
      'Ours is slower on `crlf` (in the middle half of the rounds too). Ours is level with it, within the noise, on `data-only`. The target (faster on every shape) is not met.',
    );
    // sqrt(0.9 * 0.99)
    expect(report).toContain('Geometric mean of the ratios: **0.94x** (target: at least 1.20x, not met).');
    expect(report).toContain('TypeScript sources');
    expect(report).not.toContain('## Fan-out');
  });
});
