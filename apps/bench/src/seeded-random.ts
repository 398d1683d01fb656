/**
 * A small deterministic pseudo-random generator (mulberry32), so every run of the benchmark
 * cuts its inputs at the same places and results stay comparable between runs and machines.
 *
 * @param seed - any 32-bit integer
 * @returns a function returning the next number in [0, 1)
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * const size = 1 + Math.floor(random() * 16); // 1..16
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
