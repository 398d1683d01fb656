import { median } from '../statistics';
import { rawBaselineOf, type ServerKind, wireProtocolOf } from './messages';
import type { FanoutMeasurement } from './run-fanout';

/** One target of the fan-out benchmark, checked at one connection count. */
export interface TargetCheck {
  /** What is compared, e.g. `deliveries/s, ours-express / raw`. */
  name: string;
  /** The measured ratio. */
  value: number;
  /** The bound it must respect. */
  bound: number;
  /** `>=` for "at least", `<=` for "at most". */
  direction: '>=' | '<=';
  /** Whether the measured ratio respects the bound (false when it could not be measured). */
  met: boolean;
  /** Whether the target holds at every connection count (else only at the largest). */
  everyCount: boolean;
}

/** The ratios of ours against the two references at one connection count. */
export interface FanoutComparison {
  connections: number;
  checks: TargetCheck[];
}

/**
 * The adapters with targets: Express (the README's path), plain node:http and node:http2, its
 * compatibility API and its `stream` event (against the raw HTTP/2 writer). The fetch adapter is reported beside them.
 */
export const TARGETED_KINDS = [
  'ours-express',
  'ours-node',
  'ours-http2',
  'ours-http2-stream',
] as const satisfies readonly ServerKind[];

/** The project's targets, as ratios to the references measured in the same run. */
export const TARGETS = {
  /** Burst deliveries/s against better-sse: at least this. */
  deliveriesVsBetterSse: 1.5,
  /** Burst deliveries/s against the raw writer, at every connection count: at least this. */
  deliveriesVsRaw: 1.2,
  /** Single fan-out p99 latency against the raw writer: at most this. */
  p99VsRaw: 1.1,
  /** RSS per idle connection against the raw writer: at most this. */
  rssVsRaw: 1.05,
} as const;

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

/**
 * Memory per idle connection of A over B's. NaN when B's is not positive: at small counts the
 * allocator may hand pages back while connections open, RSS falls, and no ratio means anything.
 *
 * @param a - bytes per connection of A
 * @param b - bytes per connection of B
 *
 * @example
 * ```ts
 * memoryRatio(12_000, 10_000); // 1.2
 * memoryRatio(12_000, -300); // NaN
 * ```
 */
export function memoryRatio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

function check(
  name: string,
  value: number,
  direction: '>=' | '<=',
  bound: number,
  everyCount = false,
): TargetCheck {
  const met = Number.isFinite(value) && (direction === '>=' ? value >= bound : value <= bound);
  return { name, value, bound, direction, met, everyCount };
}

/**
 * Checks the project's fan-out targets at every connection count, as ratios measured in the same
 * run, for ours under Express, on plain node:http and on node:http2 ({@link TARGETED_KINDS}): burst
 * deliveries/s at least 1.5x better-sse's (HTTP/1.1 adapters) and 1.2x the raw writer's of the same
 * HTTP version (at every count), single fan-out p99 at most 1.1x that writer's, RSS per idle
 * connection at most 1.05x that writer's.
 *
 * @param measurements - every measurement of a run
 * @returns one comparison per connection count that has one of ours
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
    const at = (kind: ServerKind) => {
      const found = measurements.find((m) => m.connections === connections && m.kind === kind);
      if (found === undefined) return undefined;
      return found.error === null
        ? found
        : { ...found, deliveriesPerSecond: [], latencyP99Ms: Number.NaN, rssPerConnectionBytes: Number.NaN };
    };
    const betterSse = at('better-sse');
    const checks: TargetCheck[] = [];
    for (const kind of TARGETED_KINDS) {
      const ours = at(kind);
      if (ours === undefined) continue;
      // Each adapter is compared with the raw writer of its HTTP version; better-sse speaks HTTP/1.1.
      const rawKind = rawBaselineOf(kind);
      const raw = at(rawKind);
      if (betterSse !== undefined && wireProtocolOf(kind) === 'http1') {
        checks.push(
          check(
            `deliveries/s, ${kind} / better-sse`,
            pairedRatio(ours.deliveriesPerSecond, betterSse.deliveriesPerSecond),
            '>=',
            TARGETS.deliveriesVsBetterSse,
          ),
        );
      }
      if (raw !== undefined) {
        checks.push(
          check(
            `deliveries/s, ${kind} / ${rawKind}`,
            pairedRatio(ours.deliveriesPerSecond, raw.deliveriesPerSecond),
            '>=',
            TARGETS.deliveriesVsRaw,
            true,
          ),
          check(
            `single fan-out p99, ${kind} / ${rawKind}`,
            ours.latencyP99Ms / raw.latencyP99Ms,
            '<=',
            TARGETS.p99VsRaw,
          ),
          check(
            `RSS per idle connection, ${kind} / ${rawKind}`,
            memoryRatio(ours.rssPerConnectionBytes, raw.rssPerConnectionBytes),
            '<=',
            TARGETS.rssVsRaw,
          ),
        );
      }
    }
    if (checks.length > 0) comparisons.push({ connections, checks });
  }
  return comparisons;
}
