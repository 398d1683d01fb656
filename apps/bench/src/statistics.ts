/**
 * The order statistic at quantile `q` (0..1) of `values`, by the nearest-rank method: the
 * smallest value such that at least `q` of all values are at or below it. Sorts a copy.
 *
 * @param values - the samples; must not be empty
 * @param q - the quantile, from 0 (minimum) to 1 (maximum)
 * @returns the sample at that rank
 *
 * @example
 * ```ts
 * percentile([5, 1, 3, 2, 4], 0.5); // 3
 * percentile([5, 1, 3, 2, 4], 0.99); // 5
 * ```
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError('@app/bench: percentile() of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`@app/bench: quantile must be within 0..1, got ${q}`);
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, q);
}

/**
 * {@link percentile} for samples already sorted in ascending order (no copy, no sort).
 *
 * @param sorted - the samples in ascending order; must not be empty
 * @param q - the quantile, from 0 to 1
 * @returns the sample at that rank
 *
 * @example
 * ```ts
 * percentileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5); // 2
 * ```
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('@app/bench: percentile of an empty sample');
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * The median of `values`: the mean of the two middle values when their count is even.
 *
 * @param values - the samples; must not be empty
 * @returns the median
 *
 * @example
 * ```ts
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('@app/bench: median() of an empty sample');
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
