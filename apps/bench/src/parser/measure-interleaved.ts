import { median } from '../statistics';

/** How long and how often {@link measureInterleaved} measures. */
export interface InterleavedOptions {
  /** Alternating rounds; in each round both operations are timed once, in alternating order. */
  rounds: number;
  /** Target duration of one timed sample, in milliseconds (the op count is fixed per operation). */
  sampleMs: number;
  /** Time spent running both operations untimed first, so both are fully optimised. */
  warmupMs: number;
  /**
   * What a sample's duration is read from: `wall` (elapsed time) or `cpu` (CPU time of this
   * process, user + system), which leaves out the time other processes held the CPU on a busy
   * machine. @defaultValue `'wall'`
   */
  clock?: 'wall' | 'cpu';
}

/** Samples of two operations measured side by side. */
export interface InterleavedResult {
  /** Operations per second of A, one sample per round. */
  opsA: number[];
  /** Operations per second of B, one sample per round. */
  opsB: number[];
  /** A's ops/s divided by B's, per round (neighbours in time share the same machine noise). */
  ratios: number[];
  /** Median of {@link opsA}. */
  medianA: number;
  /** Median of {@link opsB}. */
  medianB: number;
  /** Median of {@link ratios}. */
  medianRatio: number;
}

type Operation = () => number;

/** Collects garbage between samples when run with --expose-gc, so one side never pays for the other's. */
const collectGarbage: () => void = typeof globalThis.gc === 'function' ? () => globalThis.gc?.() : () => {};

let sink = 0;

const wallMs = () => performance.now();
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function timeOps(op: Operation, iterations: number, now: () => number): number {
  const start = now();
  for (let i = 0; i < iterations; i++) sink += op();
  const elapsed = now() - start;
  return (iterations * 1000) / Math.max(elapsed, 1e-3);
}

function estimateOpMs(op: Operation, budgetMs: number): number {
  let runs = 0;
  const start = performance.now();
  do {
    sink += op();
    runs++;
  } while (performance.now() - start < budgetMs || runs < 3);
  return (performance.now() - start) / runs;
}

/**
 * Times two operations the same way in the same process, interleaved: warm both, then for each
 * round time A and B once each, swapping who goes first every round, so drift and noise (other
 * processes, CPU frequency, GC) fall on both. Returns per-round samples and their medians.
 *
 * @param a - the first operation; returns a number that is accumulated so it cannot be optimised away
 * @param b - the second operation
 * @param options - rounds, sample length and warm-up, see {@link InterleavedOptions}
 * @returns the samples and medians
 *
 * @example
 * ```ts
 * const result = measureInterleaved(() => oursParse(input), () => theirParse(input), {
 *   rounds: 10, sampleMs: 100, warmupMs: 300,
 * });
 * console.log(result.medianRatio); // > 1 when A is faster
 * ```
 */
export function measureInterleaved(
  a: Operation,
  b: Operation,
  options: InterleavedOptions,
): InterleavedResult {
  // Warm-up alternates too, so both reach their optimised code before timing starts.
  const half = options.warmupMs / 4;
  estimateOpMs(a, half);
  estimateOpMs(b, half);
  const opMsA = estimateOpMs(a, half);
  const opMsB = estimateOpMs(b, half);
  const iterationsA = Math.max(1, Math.round(options.sampleMs / opMsA));
  const iterationsB = Math.max(1, Math.round(options.sampleMs / opMsB));
  const now = options.clock === 'cpu' ? cpuMs : wallMs;

  const opsA: number[] = [];
  const opsB: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    let sampleA: number;
    let sampleB: number;
    collectGarbage();
    if (round % 2 === 0) {
      sampleA = timeOps(a, iterationsA, now);
      collectGarbage();
      sampleB = timeOps(b, iterationsB, now);
    } else {
      sampleB = timeOps(b, iterationsB, now);
      collectGarbage();
      sampleA = timeOps(a, iterationsA, now);
    }
    opsA.push(sampleA);
    opsB.push(sampleB);
    ratios.push(sampleA / sampleB);
  }
  if (Number.isNaN(sink)) throw new Error('@app/bench: unreachable (keeps results observable)');
  return {
    opsA,
    opsB,
    ratios,
    medianA: median(opsA),
    medianB: median(opsB),
    medianRatio: median(ratios),
  };
}
