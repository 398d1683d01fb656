import { percentile } from '../statistics';
import { ours, type ParserContender, theirs } from './contenders';
import { measureInterleaved } from './measure-interleaved';
import { buildParserShapes, type ParserShape } from './shapes';

/** Settings of one parser benchmark run. */
export interface ParserBenchOptions {
  /** Alternating rounds per shape. @defaultValue 20 */
  rounds?: number;
  /** Target milliseconds per timed sample. @defaultValue 60 */
  sampleMs?: number;
  /** Untimed warm-up per shape, in milliseconds. @defaultValue 400 */
  warmupMs?: number;
  /** Time samples by elapsed time or by this process's CPU time, see `measureInterleaved`. @defaultValue `'wall'` */
  clock?: 'wall' | 'cpu';
  /** Only the shapes with these names (all when omitted). */
  shapes?: readonly string[];
  /** Progress lines (one per shape). @defaultValue no output */
  log?: (line: string) => void;
}

/** The outcome for one input shape. */
export interface ParserShapeResult {
  shape: string;
  description: string;
  bytes: number;
  chunks: number;
  events: number;
  /** Median whole-input parses per second, ours. */
  oursOpsPerSecond: number;
  /** Median whole-input parses per second, eventsource-parser. */
  theirsOpsPerSecond: number;
  /** Median of the per-round ratios ours / theirs (> 1: ours is faster). */
  ratio: number;
  /** First and third quartiles of the per-round ratios: the spread of the middle half of the rounds. */
  ratioLow: number;
  ratioHigh: number;
}

/** All results of a parser benchmark run. */
export interface ParserBenchResult {
  ours: string;
  theirs: string;
  theirsVersion: string;
  rounds: number;
  sampleMs: number;
  clock: 'wall' | 'cpu';
  results: ParserShapeResult[];
}

function sameEvents(shape: ParserShape, a: ParserContender, b: ParserContender): void {
  const left = a.collectEvents(shape.chunks);
  const right = b.collectEvents(shape.chunks);
  const fail = (why: string) => {
    throw new Error(`@app/bench: parsers disagree on shape "${shape.name}": ${why}`);
  };
  if (left.length !== shape.expectedEvents)
    fail(`${a.name} dispatched ${left.length}, expected ${shape.expectedEvents}`);
  if (right.length !== shape.expectedEvents)
    fail(`${b.name} dispatched ${right.length}, expected ${shape.expectedEvents}`);
  for (let i = 0; i < left.length; i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined || y === undefined || x.id !== y.id || x.event !== y.event || x.data !== y.data) {
      fail(`event #${i} differs`);
    }
  }
}

/**
 * Runs the parser benchmark: for each input shape, first checks that both parsers dispatch the
 * same events, then times whole-input parses of both, interleaved (see `measureInterleaved`).
 *
 * @param options - rounds, sample length, shape filter, progress output
 * @param theirsVersion - the installed eventsource-parser version, for the report
 * @returns one result per shape
 *
 * @example
 * ```ts
 * const { results } = runParserBench({ rounds: 5 }, '3.1.1');
 * for (const r of results) console.log(r.shape, r.ratio.toFixed(2));
 * ```
 */
export function runParserBench(options: ParserBenchOptions, theirsVersion: string): ParserBenchResult {
  const rounds = options.rounds ?? 20;
  const sampleMs = options.sampleMs ?? 60;
  const warmupMs = options.warmupMs ?? 400;
  const clock = options.clock ?? 'wall';
  const log = options.log ?? (() => {});
  const shapes = buildParserShapes().filter(
    (s) => options.shapes === undefined || options.shapes.includes(s.name),
  );
  const results: ParserShapeResult[] = [];
  for (const shape of shapes) {
    sameEvents(shape, ours, theirs);
    const chunks = shape.chunks;
    const measured = measureInterleaved(
      () => ours.countEvents(chunks),
      () => theirs.countEvents(chunks),
      { rounds, sampleMs, warmupMs, clock },
    );
    const result: ParserShapeResult = {
      shape: shape.name,
      description: shape.description,
      bytes: shape.bytes,
      chunks: chunks.length,
      events: shape.expectedEvents,
      oursOpsPerSecond: measured.medianA,
      theirsOpsPerSecond: measured.medianB,
      ratio: measured.medianRatio,
      ratioLow: percentile(measured.ratios, 0.25),
      ratioHigh: percentile(measured.ratios, 0.75),
    };
    results.push(result);
    log(
      `parser ${shape.name.padEnd(18)} ours ${result.oursOpsPerSecond.toFixed(1).padStart(9)} ops/s  ` +
        `theirs ${result.theirsOpsPerSecond.toFixed(1).padStart(9)} ops/s  ratio ${result.ratio.toFixed(2)}`,
    );
  }
  return { ours: ours.name, theirs: theirs.name, theirsVersion, rounds, sampleMs, clock, results };
}
