/**
 * mulberry32, a small seeded PRNG: tests and benchmarks that draw random numbers (chunk sizes,
 * jitter, cut points) do the same thing on every run and every machine.
 *
 * @param seed - any 32-bit integer
 * @returns a function returning the next number in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
