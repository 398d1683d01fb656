import { describe, expect, it } from 'vitest';
import { median } from '../statistics';
import { measureInterleaved } from './measure-interleaved';

describe('measureInterleaved', () => {
  it('takes one sample of each operation per round, alternating which goes first', () => {
    const calls: string[] = [];
    const a = () => {
      calls.push('a');
      return 1;
    };
    const b = () => {
      calls.push('b');
      return 1;
    };
    const result = measureInterleaved(a, b, { rounds: 4, sampleMs: 1, warmupMs: 4 });
    expect(result.opsA).toHaveLength(4);
    expect(result.opsB).toHaveLength(4);
    expect(result.ratios).toEqual(result.opsA.map((x, i) => x / (result.opsB[i] as number)));
    expect(result.medianA).toBe(median(result.opsA));
    expect(result.medianRatio).toBe(median(result.ratios));
    for (const ops of [...result.opsA, ...result.opsB]) expect(ops).toBeGreaterThan(0);
    // Both ran during the warm-up, then each round's first sample alternates between a and b.
    expect(calls.slice(0, 3)).toEqual(['a', 'a', 'a']);
    expect(calls).toContain('b');
  });

  it('runs every operation in full (results are consumed, not skipped)', () => {
    let work = 0;
    measureInterleaved(
      () => {
        work++;
        return work;
      },
      () => 0,
      { rounds: 2, sampleMs: 1, warmupMs: 2 },
    );
    expect(work).toBeGreaterThanOrEqual(2 * 3 + 2);
  });
});
