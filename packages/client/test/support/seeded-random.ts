/**
 * mulberry32: a small seeded PRNG, so tests that draw random numbers (jitter spreads, chunk
 * sizes) are reproducible.
 *
 * @param seed - any 32-bit integer
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
