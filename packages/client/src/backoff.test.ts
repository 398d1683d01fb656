import { seededRandom } from '@app/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BackoffConfig, backoffDelay, retryAfterDelay } from './backoff';

const config: BackoffConfig = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 'full' };

describe('backoffDelay', () => {
  it('grows the ceiling by factor per attempt up to maxMs', () => {
    const ceilings = Array.from({ length: 8 }, (_, attempt) =>
      backoffDelay(attempt, 1000, { ...config, jitter: 'none' }, () => 0),
    );
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('keeps full jitter inside [0, ceiling) for any attempt, base and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, draw) => {
          const ceiling = base === 0 ? 0 : Math.min(config.maxMs, base * 2 ** attempt);
          const delay = backoffDelay(attempt, base, config, () => draw);
          expect(delay).toBeGreaterThanOrEqual(0);
          if (ceiling === 0) expect(delay).toBe(0);
          else expect(delay).toBeLessThan(ceiling);
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('keeps equal jitter inside [ceiling / 2, ceiling)', () => {
    expect(backoffDelay(2, 1000, { ...config, jitter: 'equal' }, () => 0)).toBe(2000);
    expect(backoffDelay(2, 1000, { ...config, jitter: 'equal' }, () => 0.999_999)).toBe(3999);
  });

  it('stays 0 with a zero base however many attempts failed', () => {
    expect(backoffDelay(5000, 0, config, () => 0.5)).toBe(0);
    expect(backoffDelay(5000, 0, { ...config, jitter: 'none' }, () => 0.5)).toBe(0);
  });

  it('spreads 10,000 clients that lose the server at once over the whole first window', () => {
    const random = seededRandom(42);
    const buckets = new Array<number>(10).fill(0);
    for (let client = 0; client < 10_000; client++) {
      const delay = backoffDelay(0, 1000, config, random);
      buckets[Math.floor(delay / 100)]!++;
    }
    // Uniform: about 1,000 per 100 ms slot (a burst would pile them into one slot).
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});

describe('retryAfterDelay', () => {
  const now = Date.parse('2030-06-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(retryAfterDelay('120', now)).toBe(120_000);
    expect(retryAfterDelay(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date, as 0 when it is past', () => {
    expect(retryAfterDelay('Sat, 01 Jun 2030 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterDelay('Sat, 01 Jun 2030 11:00:00 GMT', now)).toBe(0);
  });

  it('gives undefined for a missing or unreadable value', () => {
    expect(retryAfterDelay(null, now)).toBeUndefined();
    expect(retryAfterDelay('soon', now)).toBeUndefined();
    expect(retryAfterDelay('-5', now)).toBeUndefined();
  });
});
