// The soak: an emitter under steady publishing and continuous connection churn for a bounded time,
// on loopback, judged by three promises. The server runs in its own process (so the clients'
// memory is not counted); the clients here: `clients` sessions at all times, each leaving after a
// random lifetime for a new one to take its place, some cut mid-stream, some reading too slowly
// (dropped by the server past `maxBufferedBytes`), all resuming with their last event ID.
//
// It fails when (1) any session sees a gap, a repeat or a reset; (2) the server's heap after two
// full collections grows, from the first samples after the warm-up to the last ones, by more than
// max(4 MiB, 10 %) (RSS is reported beside it: the allocator keeps freed pages, so it is not
// judged); (3) when `judgeLoopDelay` is set (the soak benchmark), the event loop delay p99 of any
// sample interval after the warm-up passes 100 ms. That one is a wall-clock figure, so the test,
// which shares its machine with the other suites, reports it and leaves the judging to the bench.
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@app/test-utils/seeded-random';
import { type ChildHandle, startChild } from '../fanout/child-process';
import { median } from '../statistics';
import type { ServerSample, SoakCommand, SoakReply } from './soak-messages';
import { runSession, type SessionPlan, type SessionTally } from './soak-session';

const SERVER_ENTRY = fileURLToPath(new URL('./soak-server.ts', import.meta.url));

/** Options of {@link runSoak}. */
export interface SoakOptions {
  durationMs: number;
  /** Samples before this are not judged (the heap and the connection count settle). */
  warmupMs: number;
  sampleEveryMs: number;
  /** Sessions open at all times. */
  clients: number;
  /** Events published per second. */
  rate: number;
  seed: number;
  /** Node flags of the server process (the TypeScript loader); `--expose-gc` is added. */
  execArgv: readonly string[];
  /** Whether the event loop delay bound is judged (wall-clock: for the benchmark, not for tests). @defaultValue `true` */
  judgeLoopDelay?: boolean;
}

/** The bounds the soak judges by. */
export const SOAK_BOUNDS = { heapGrowthBytes: 4 * 1024 * 1024, heapGrowthShare: 0.1, loopP99Ms: 100 };

/** What a soak saw. */
export interface SoakReport extends Omit<SessionTally, 'failures'> {
  readonly samples: (ServerSample & { atMs: number })[];
  /** Heap after GC: the median of the first three samples after the warm-up, and of the last three. */
  readonly heap: { baseline: number; final: number };
  readonly rss: { baseline: number; final: number };
  readonly worstLoopP99Ms: number;
  /** Every broken promise or bound, in words; empty when the soak passed. */
  readonly failures: string[];
}

function plan(random: () => number): SessionPlan {
  const lifetimeMs = 2000 + Math.floor(random() * 8000);
  const kind = random();
  if (kind < 0.3) return { lifetimeMs, cutAtMs: Math.floor(random() * lifetimeMs) };
  if (kind < 0.45) {
    // Slow readers: some pause long enough to be dropped, and resume.
    return {
      lifetimeMs: lifetimeMs + 6000,
      pause: { atMs: Math.floor(random() * 1000), forMs: 1000 + Math.floor(random() * 5000) },
    };
  }
  return { lifetimeMs };
}

/**
 * Runs the soak and judges it.
 *
 * @param options - duration, load and seed
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const random = seededRandom(options.seed);
  const server: ChildHandle<SoakCommand, SoakReply> = startChild(
    SERVER_ENTRY,
    [String(options.rate)],
    [...options.execArgv, '--expose-gc'],
  );
  const tally: SessionTally = {
    sessions: 0,
    deliveries: 0,
    cuts: 0,
    slowPauses: 0,
    resumes: 0,
    failures: [],
  };
  const samples: (ServerSample & { atMs: number })[] = [];
  let running = true;
  const over = new AbortController();
  setMaxListeners(Number.POSITIVE_INFINITY, over.signal); // one listener per open session, by design
  const sessions = new Set<Promise<void>>();
  try {
    const { port } = await server.next('ready', 30_000);
    const started = performance.now();
    const keep = (): void => {
      if (!running) return;
      const session = runSession(port, plan(random), tally, over.signal).then(() => {
        sessions.delete(session);
        keep();
      });
      sessions.add(session);
    };
    for (let index = 0; index < options.clients; index++) keep();
    while (performance.now() - started < options.durationMs) {
      await new Promise((resolve) => setTimeout(resolve, options.sampleEveryMs));
      server.send({ type: 'sample' });
      const { type: _, ...sample } = await server.next('sample', 30_000);
      samples.push({ ...sample, atMs: Math.round(performance.now() - started) });
    }
    running = false;
    over.abort();
    await Promise.all(sessions);
    server.send({ type: 'stop' });
    await server.next('stopped', 30_000);
  } finally {
    running = false;
    over.abort();
    await server.stop();
  }
  return judge(samples, tally, options.warmupMs, options.judgeLoopDelay ?? true);
}

function judge(
  samples: SoakReport['samples'],
  tally: SessionTally,
  warmupMs: number,
  judgeLoopDelay: boolean,
): SoakReport {
  const failures = [...tally.failures];
  const judged = samples.filter((sample) => sample.atMs >= warmupMs);
  if (judged.length < 4) failures.push(`only ${judged.length} samples after the warm-up: run longer`);
  const first = judged.slice(0, 3);
  const last = judged.slice(-3);
  const heap = { baseline: median(first.map((s) => s.heapUsed)), final: median(last.map((s) => s.heapUsed)) };
  const rss = { baseline: median(first.map((s) => s.rss)), final: median(last.map((s) => s.rss)) };
  const allowed = Math.max(SOAK_BOUNDS.heapGrowthBytes, heap.baseline * SOAK_BOUNDS.heapGrowthShare);
  if (heap.final - heap.baseline > allowed) {
    failures.push(
      `heap grew from ${mib(heap.baseline)} to ${mib(heap.final)} (allowed: ${mib(allowed)} more)`,
    );
  }
  const worstLoopP99Ms = Math.max(0, ...judged.map((sample) => sample.loopP99Ms));
  if (judgeLoopDelay && worstLoopP99Ms > SOAK_BOUNDS.loopP99Ms) {
    failures.push(
      `event loop delay p99 reached ${worstLoopP99Ms.toFixed(1)} ms (bound ${SOAK_BOUNDS.loopP99Ms} ms)`,
    );
  }
  const resets = samples.at(-1)?.resets ?? 0;
  if (resets > 0) failures.push(`the server sent ${resets} sse:reset`);
  const errors = samples.at(-1)?.errors ?? 0;
  if (errors > 0) failures.push(`the emitter reported ${errors} errors to onError`);
  const { failures: _, ...counts } = tally;
  return { ...counts, samples, heap, rss, worstLoopP99Ms, failures };
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
