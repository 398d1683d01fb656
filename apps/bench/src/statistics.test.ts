import { describe, expect, it } from 'vitest';
import { median, percentile, percentileOfSorted } from './statistics';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0.05)).toBe(15);
    expect(percentile(values, 0.3)).toBe(20);
    expect(percentile(values, 0.4)).toBe(20);
    expect(percentile(values, 0.5)).toBe(35);
    expect(percentile(values, 1)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it('p99 of 1..1000 is 990 and does not reorder the input', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(values, 0.99)).toBe(990);
    expect(values[0]).toBe(1000);
  });

  it('reads sorted typed arrays without copying', () => {
    expect(percentileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2);
    expect(percentileOfSorted(Float64Array.of(1, 2, 3, 4), 0.51)).toBe(3);
  });

  it('refuses empty samples and quantiles outside 0..1', () => {
    expect(() => percentile([], 0.5)).toThrow(/empty/);
    expect(() => percentile([1], 1.5)).toThrow(/quantile/);
    expect(() => percentile([1], Number.NaN)).toThrow(/quantile/);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});
