import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** A V8 CPU profiler of the current process, started and stopped on demand. */
export interface CpuProfiler {
  /** Starts sampling (every 100 µs). */
  start(): Promise<void>;
  /** Stops sampling and writes the profile (`.cpuprofile` JSON, as `--cpu-prof` writes it). */
  stop(path: string): Promise<void>;
}

/**
 * Creates a profiler for this process over the inspector protocol, so a benchmark can profile
 * exactly its measured phase (not start-up, connection set-up or teardown, as `--cpu-prof` would).
 *
 * @returns the profiler; nothing is sampled until `start()`
 *
 * @example
 * ```ts
 * const profiler = createCpuProfiler();
 * await profiler.start();
 * await work();
 * await profiler.stop('profiles/server.cpuprofile');
 * ```
 */
export function createCpuProfiler(): CpuProfiler {
  let session: Session | null = null;
  return {
    async start() {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    },
    async stop(path) {
      if (session === null) throw new Error('@app/bench: the profiler was not started');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      await writeFile(path, JSON.stringify(profile));
    },
  };
}
