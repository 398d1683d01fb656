import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricsSample } from '../catalog';

/** What the sampler reads from the event stream at every tick. */
export interface StreamCounters {
  /** Open event streams now. */
  connections: number;
  /** Events delivered to clients since the start (a counter that only grows). */
  delivered: number;
}

/** Options of {@link createMetricsSampler}. */
export interface MetricsSamplerOptions {
  /**
   * Time between two samples, in milliseconds; `0` turns sampling off.
   * @defaultValue 1000
   */
  intervalMs?: number;
  /** Reads the stream counters. */
  readStream(): StreamCounters;
  /** Receives each sample. */
  onSample(sample: MetricsSample): void;
}

/** A running metrics sampler. */
export interface MetricsSampler {
  /** Takes a sample now (the timer calls this). */
  sample(): MetricsSample;
  /** Stops the timer and the event loop monitor. */
  close(): void;
}

const MIB = 1024 * 1024;

/**
 * Samples the server process (CPU, memory, event loop delay) and the event stream (connections,
 * deliveries per second) at a fixed interval: real figures of the running demo, not made-up ones.
 *
 * @param options - interval, counters and the sample callback
 * @example
 * ```ts
 * const sampler = createMetricsSampler({ readStream, onSample: (s) => sse.broadcast('metrics', s) });
 * ```
 */
export function createMetricsSampler(options: MetricsSamplerOptions): MetricsSampler {
  const intervalMs = options.intervalMs ?? 1000;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let lastAt = Date.now();
  let lastCpu = process.cpuUsage();
  let lastDelivered = options.readStream().delivered;

  function sample(): MetricsSample {
    const at = Date.now();
    const elapsedMs = Math.max(1, at - lastAt);
    const cpu = process.cpuUsage(lastCpu);
    const stream = options.readStream();
    const delivered = stream.delivered - lastDelivered;
    // A histogram that saw no complete interval reports NaN; report it as no delay.
    const delayNs = loopDelay.count > 0 ? loopDelay.percentile(99) : 0;
    loopDelay.reset();
    lastAt = at;
    lastCpu = process.cpuUsage();
    lastDelivered = stream.delivered;
    return {
      at,
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
      memoryMb: round(process.memoryUsage.rss() / MIB),
      eventLoopDelayMs: round(delayNs / 1e6),
      connections: stream.connections,
      eventsPerSecond: round(Math.max(0, delivered) / (elapsedMs / 1000)),
    };
  }

  const timer = intervalMs > 0 ? setInterval(() => options.onSample(sample()), intervalMs) : undefined;
  timer?.unref();

  return {
    sample,
    close() {
      if (timer) clearInterval(timer);
      loopDelay.disable();
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
