import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, percentileOfSorted } from '../statistics';
import { type FanoutPair, type MemoryReading, type PairOptions, startFanoutPair } from './fanout-pair';
import type { ServerKind } from './messages';

/** Settings of a fan-out benchmark run. */
export interface FanoutBenchOptions extends PairOptions {
  /** Connection counts, each measured with every server. */
  connections: readonly number[];
  /** Servers to compare. */
  kinds: readonly ServerKind[];
  /** Timed single fan-outs per server (each one event to every connection). */
  fanouts: number;
  /** Untimed single fan-outs per server before the timed ones. */
  warmupFanouts: number;
  /** Timed bursts per server. */
  bursts: number;
  /** Deliveries per burst: each burst publishes ceil(this / connections) events (10 to 200). */
  burstDeliveries: number;
  /** Connections opened, fed and closed before the baseline memory reading. */
  warmupConnections: number;
  /** Quiet time between two measurements, in milliseconds. */
  pauseMs: number;
  /**
   * When set, each server process is CPU-profiled during the bursts and the profile written here
   * as `<kind>-n<connections>.cpuprofile` (sampling slows every server a little: the numbers of such
   * a run are for finding hot spots, not for the report).
   */
  profileDir: string | null;
  /** Progress output. */
  log: (line: string) => void;
}

/** Results of one server at one connection count. */
export interface FanoutMeasurement {
  kind: ServerKind;
  label: string;
  connections: number;
  /** Set when the server could not complete the run; the numbers are then NaN. */
  error: string | null;
  /** Seconds to open every connection (handshake, headers, first bytes). */
  connectSeconds: number;
  /** Events per burst. */
  burstEvents: number;
  /** Deliveries per second of each burst (connections x events / time until the last arrived). */
  deliveriesPerSecond: number[];
  /**
   * Server CPU time per delivery in bursts (µs), one per burst: the cost of a delivery whatever
   * else the machine was doing (time other processes held the CPU is not counted).
   */
  serverCpuMicrosPerDelivery: number[];
  /**
   * Load process CPU time / elapsed time during bursts, one per burst. Near 1, the load process
   * (not the server) was the limit of that burst.
   */
  loadUtilization: number[];
  /** Publish-to-received latency of single fan-outs, pooled over all connections and fan-outs (ms). */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Median over single fan-outs of the time until the last connection had the event (ms). */
  fanoutCompleteMs: number;
  /** Publish-to-received latency of every event of every burst, pooled over all connections (ms). */
  burstLatencyP50Ms: number;
  burstLatencyP99Ms: number;
  /** (RSS with every connection idle - RSS with none) / connections, both after full GCs. */
  rssPerConnectionBytes: number;
  /** The same for the V8 heap alone. */
  heapPerConnectionBytes: number;
}

/** All results of a fan-out run. */
export interface FanoutBenchResult {
  /** One entry per connection count and server, in run order. */
  measurements: FanoutMeasurement[];
  /**
   * 1-minute load average of the machine before, during (mean and highest of readings taken every
   * second) and after each connection count's run, which every server of that count shared.
   */
  loadAverages: { connections: number; before: number; during: number; highest: number; after: number }[];
}

interface Running {
  /** `null` when the server could not even start. */
  pair: FanoutPair | null;
  result: FanoutMeasurement;
  baseline: MemoryReading | null;
  latencies: Float64Array[];
  burstLatencies: Float64Array[];
  completions: number[];
}

function emptyResult(kind: ServerKind, connections: number, burstEvents: number): FanoutMeasurement {
  return {
    kind,
    label: kind,
    connections,
    error: null,
    connectSeconds: Number.NaN,
    burstEvents,
    deliveriesPerSecond: [],
    serverCpuMicrosPerDelivery: [],
    loadUtilization: [],
    latencyP50Ms: Number.NaN,
    latencyP99Ms: Number.NaN,
    fanoutCompleteMs: Number.NaN,
    burstLatencyP50Ms: Number.NaN,
    burstLatencyP99Ms: Number.NaN,
    rssPerConnectionBytes: Number.NaN,
    heapPerConnectionBytes: Number.NaN,
  };
}

type Live = Running & { pair: FanoutPair };

/** Every sample of `series` in one sorted array. */
function pool(series: readonly Float64Array[]): Float64Array {
  const pooled = new Float64Array(series.reduce((sum, s) => sum + s.length, 0));
  let offset = 0;
  for (const s of series) {
    pooled.set(s, offset);
    offset += s.length;
  }
  return pooled.sort();
}

const isLive = (r: Running): r is Live => r.pair !== null && r.result.error === null;

/** Runs `step` for every live server, in an order rotated by `round`; a failing server is set aside. */
async function eachInTurn(
  running: Running[],
  round: number,
  step: (r: Live) => Promise<void>,
): Promise<void> {
  const live = running.filter(isLive);
  for (let i = 0; i < live.length; i++) {
    const r = live[(i + round) % live.length] as Live;
    try {
      await step(r);
    } catch (error) {
      r.result.error = error instanceof Error ? error.message : String(error);
    }
  }
}

async function measureAt(n: number, options: FanoutBenchOptions): Promise<FanoutMeasurement[]> {
  const burstEvents = Math.min(200, Math.max(10, Math.ceil(options.burstDeliveries / n)));
  const running: Running[] = [];
  for (const kind of options.kinds) {
    const result = emptyResult(kind, n, burstEvents);
    try {
      const pair = await startFanoutPair(kind, options);
      result.label = pair.label;
      running.push({ pair, result, baseline: null, latencies: [], burstLatencies: [], completions: [] });
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
      running.push({
        pair: null,
        result,
        baseline: null,
        latencies: [],
        burstLatencies: [],
        completions: [],
      });
    }
  }
  const log = options.log;
  try {
    // Warm-up: every code path once (connect, fan-out, burst, disconnect) before any reading.
    await eachInTurn(running, 0, async (r) => {
      await r.pair.connect(Math.min(options.warmupConnections, n));
      for (let i = 0; i < options.warmupFanouts; i++) await r.pair.fanOut(1, false);
      await r.pair.fanOut(Math.min(burstEvents, 20), false);
      await r.pair.disconnect();
      r.baseline = await r.pair.memory();
    });
    await eachInTurn(running, 0, async (r) => {
      const start = performance.now();
      await r.pair.connect(n);
      r.result.connectSeconds = (performance.now() - start) / 1000;
      await sleep(options.pauseMs * 4);
      const loaded = await r.pair.memory();
      const baseline = r.baseline as MemoryReading;
      r.result.rssPerConnectionBytes = (loaded.rss - baseline.rss) / n;
      r.result.heapPerConnectionBytes = (loaded.heapUsed - baseline.heapUsed) / n;
      log(
        `  ${r.pair.kind.padEnd(12)} n=${n}: connected in ${r.result.connectSeconds.toFixed(1)} s, ` +
          `${(r.result.rssPerConnectionBytes / 1024).toFixed(1)} KiB RSS per connection`,
      );
    });
    for (let round = 0; round < options.warmupFanouts; round++) {
      await eachInTurn(running, round, async (r) => {
        await r.pair.fanOut(1, false);
        await sleep(options.pauseMs);
      });
    }
    for (let round = 0; round < options.fanouts; round++) {
      await eachInTurn(running, round, async (r) => {
        const timing = await r.pair.fanOut(1, true);
        if (timing.latencies === null) throw new Error('@app/bench: the load process sent no latencies');
        r.latencies.push(timing.latencies);
        r.completions.push((timing.completedAt - timing.startedAt) / 1000);
        await sleep(options.pauseMs);
      });
    }
    for (const r of running.filter(isLive)) {
      if (r.latencies.length === 0) continue;
      const pooled = pool(r.latencies);
      r.result.latencyP50Ms = percentileOfSorted(pooled, 0.5) / 1000;
      r.result.latencyP99Ms = percentileOfSorted(pooled, 0.99) / 1000;
      r.result.fanoutCompleteMs = median(r.completions);
      log(
        `  ${r.pair.kind.padEnd(12)} n=${n}: single fan-out p50 ${r.result.latencyP50Ms.toFixed(1)} ms, ` +
          `p99 ${r.result.latencyP99Ms.toFixed(1)} ms`,
      );
    }
    const profileDir = options.profileDir;
    if (profileDir !== null) await eachInTurn(running, 0, (r) => r.pair.startProfile());
    for (let round = 0; round < options.bursts; round++) {
      await eachInTurn(running, round, async (r) => {
        const timing = await r.pair.fanOut(burstEvents, true);
        if (timing.latencies !== null) r.burstLatencies.push(timing.latencies);
        const elapsedMicros = timing.completedAt - timing.startedAt;
        r.result.deliveriesPerSecond.push((n * burstEvents) / (elapsedMicros / 1e6));
        r.result.serverCpuMicrosPerDelivery.push(timing.serverCpuMicros / (n * burstEvents));
        r.result.loadUtilization.push(timing.loadCpuMicros / elapsedMicros);
        await sleep(options.pauseMs * 4);
      });
    }
    if (profileDir !== null) {
      await eachInTurn(running, 0, (r) =>
        r.pair.stopProfile(join(profileDir, `${r.pair.kind}-n${n}.cpuprofile`)),
      );
    }
    for (const r of running.filter(isLive)) {
      if (r.burstLatencies.length > 0) {
        const pooled = pool(r.burstLatencies);
        r.burstLatencies = [];
        r.result.burstLatencyP50Ms = percentileOfSorted(pooled, 0.5) / 1000;
        r.result.burstLatencyP99Ms = percentileOfSorted(pooled, 0.99) / 1000;
      }
      log(
        `  ${r.pair.kind.padEnd(12)} n=${n}: ${(median(r.result.deliveriesPerSecond) / 1000).toFixed(0)}k deliveries/s, ` +
          `${median(r.result.serverCpuMicrosPerDelivery).toFixed(2)} µs server CPU per delivery, ` +
          `load process ${(median(r.result.loadUtilization) * 100).toFixed(0)}% busy`,
      );
    }
  } finally {
    await Promise.all(running.map((r) => r.pair?.stop().catch(() => {})));
  }
  return running.map((r) => r.result);
}

/**
 * Runs the fan-out benchmark: for each connection count, every server gets its own server process
 * and load process; after warm-up and memory readings, their single fan-outs and bursts are
 * interleaved round by round (rotating who goes first), so noise on a shared machine falls on all
 * of them alike.
 *
 * @param options - sizes, repetitions, flags, see {@link FanoutBenchOptions}
 * @returns every measurement and the machine's load during the run
 *
 * @example
 * ```ts
 * const { measurements } = await runFanoutBench({ connections: [1000], kinds: ['ours-express', 'raw'], ... });
 * ```
 */
export async function runFanoutBench(options: FanoutBenchOptions): Promise<FanoutBenchResult> {
  const measurements: FanoutMeasurement[] = [];
  const loadAverages: FanoutBenchResult['loadAverages'] = [];
  for (const n of options.connections) {
    options.log(`fan-out with ${n} connections`);
    const before = loadavg()[0] ?? 0;
    const readings: number[] = [before];
    const sampler = setInterval(() => readings.push(loadavg()[0] ?? 0), 1000);
    try {
      measurements.push(...(await measureAt(n, options)));
    } finally {
      clearInterval(sampler);
    }
    const after = loadavg()[0] ?? 0;
    readings.push(after);
    loadAverages.push({
      connections: n,
      before,
      during: readings.reduce((sum, value) => sum + value, 0) / readings.length,
      highest: Math.max(...readings),
      after,
    });
    options.log(
      `  load average during n=${n}: ${loadAverages.at(-1)?.during.toFixed(2)} (highest ${Math.max(...readings).toFixed(2)})`,
    );
  }
  return { measurements, loadAverages };
}
