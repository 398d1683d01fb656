import { median } from '../statistics';
import type { FanoutMeasurement } from './run-fanout';

/** One target of the fan-out benchmark, checked at one connection count. */
export interface TargetCheck {
  /** What is compared, e.g. `deliveries/s, ours / raw`. */
  name: string;
  /** The measured ratio. */
  value: number;
  /** The bound it must respect. */
  bound: number;
  /** `>=` for "at least", `<=` for "at most". */
  direction: '>=' | '<=';
  /** Whether the measured ratio respects the bound (false when it could not be measured). */
  met: boolean;
}

/** The ratios of ours against the two references at one connection count. */
export interface FanoutComparison {
  connections: number;
  checks: TargetCheck[];
}

/**
 * A/B of two series measured round by round: the median of the per-round ratios when both have
 * every round (neighbours in time share the machine's noise), else the ratio of the medians.
 *
 * @param a - samples of A, one per round
 * @param b - samples of B, one per round
 * @returns the ratio A / B, NaN when either is empty
 *
 * @example
 * ```ts
 * pairedRatio([2, 4], [1, 2]); // 2
 * ```
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return Number.NaN;
  if (a.length !== b.length) return median(a) / median(b);
  return median(a.map((value, i) => value / (b[i] as number)));
}

function check(name: string, value: number, direction: '>=' | '<=', bound: number): TargetCheck {
  const met = Number.isFinite(value) && (direction === '>=' ? value >= bound : value <= bound);
  return { name, value, bound, direction, met };
}

/**
 * Checks the project's fan-out targets at every connection count, as ratios measured in the same
 * run: deliveries/s at least 1.5x better-sse's and 0.8x the raw writer's, single fan-out p99 at
 * most 1.2x the raw writer's, RSS per idle connection at most 1.15x the raw writer's.
 *
 * @param measurements - every measurement of a run
 * @returns one comparison per connection count that has `ours`
 *
 * @example
 * ```ts
 * for (const c of compareWithTargets(result.measurements)) console.log(c.connections, c.checks.every((x) => x.met));
 * ```
 */
export function compareWithTargets(measurements: readonly FanoutMeasurement[]): FanoutComparison[] {
  const counts = [...new Set(measurements.map((m) => m.connections))];
  const comparisons: FanoutComparison[] = [];
  for (const connections of counts) {
    // A server that was not run has no checks; one that failed has NaN ratios (missed targets).
    const at = (kind: FanoutMeasurement['kind']) => {
      const found = measurements.find((m) => m.connections === connections && m.kind === kind);
      if (found === undefined) return undefined;
      return found.error === null
        ? found
        : { ...found, deliveriesPerSecond: [], latencyP99Ms: Number.NaN, rssPerConnectionBytes: Number.NaN };
    };
    const ours = at('ours');
    if (ours === undefined) continue;
    const raw = at('raw');
    const betterSse = at('better-sse');
    const checks: TargetCheck[] = [];
    if (betterSse !== undefined) {
      checks.push(
        check(
          'deliveries/s, ours / better-sse',
          pairedRatio(ours.deliveriesPerSecond, betterSse.deliveriesPerSecond),
          '>=',
          1.5,
        ),
      );
    }
    if (raw !== undefined) {
      checks.push(
        check(
          'deliveries/s, ours / raw',
          pairedRatio(ours.deliveriesPerSecond, raw.deliveriesPerSecond),
          '>=',
          0.8,
        ),
        check('single fan-out p99, ours / raw', ours.latencyP99Ms / raw.latencyP99Ms, '<=', 1.2),
        check(
          'RSS per idle connection, ours / raw',
          ours.rssPerConnectionBytes / raw.rssPerConnectionBytes,
          '<=',
          1.15,
        ),
      );
    }
    comparisons.push({ connections, checks });
  }
  return comparisons;
}
