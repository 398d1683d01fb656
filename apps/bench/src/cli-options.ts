import { parseArgs } from 'node:util';
import { OURS_KINDS, SERVER_KINDS, type ServerKind } from './fanout/messages';

/** What `src/main.ts` was asked to do. */
export interface CliOptions {
  /** Run both parts (`null`) or only one. */
  only: 'parser' | 'fanout' | null;
  /** A smaller, faster run (fewer rounds, fewer connections). */
  quick: boolean;
  /** Connection counts of the fan-out part. */
  connections: number[];
  /** Servers of the fan-out part. */
  servers: ServerKind[];
  /** Parser shapes to run (all when `null`). */
  shapes: string[] | null;
  /** Interleaved rounds per parser shape. */
  rounds: number;
  /** What parser samples are timed with: elapsed time, or this process's CPU time. */
  clock: 'wall' | 'cpu';
  /** Write V8 CPU profiles of the server processes and print where their time goes. */
  profile: boolean;
  /** Write BENCHMARKS.md and the charts (default: only for a full run). */
  write: boolean;
  /** Path of the report. */
  out: string;
  help: boolean;
}

/** The text of `--help`. */
export const USAGE = `Usage: pnpm --filter @app/bench bench [-- options]

  --only=parser|fanout   run one part (default: both)
  --quick                smaller run: fewer rounds, 250 and 1,000 connections
  --connections=1000,5000
                         fan-out connection counts (default 1000,5000,10000)
  --servers=ours-express,raw
                         fan-out servers: ours-express, ours-node, ours-fetch, ours-http2,
                         ours-http2-stream, better-sse, raw, raw-express, raw-http2
                         (default: all; \`ours\` stands for the five ours-* adapters)
  --shapes=data-only,crlf
                         parser input shapes (default: all)
  --rounds=20            interleaved rounds per parser shape
  --clock=wall|cpu       time parser samples by elapsed time (default) or by CPU time (steadier on a busy machine)
  --profile              CPU-profile the server processes during the bursts (apps/bench/profiles/) and print the hot spots
  --write / --no-write   write BENCHMARKS.md and docs/bench-*.svg (default: only for a full, default run)
  --out=PATH             report path (default: BENCHMARKS.md at the repository root)
  --help                 this text
`;

function list(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Parses the command line of the benchmark.
 *
 * @param args - the arguments after the script name
 * @param defaultOut - report path when `--out` is not given
 * @returns the options; throws a `TypeError` naming the bad flag on invalid input
 *
 * @example
 * ```ts
 * parseCliOptions(['--only=parser', '--quick'], '/repo/BENCHMARKS.md').only; // 'parser'
 * ```
 */
export function parseCliOptions(args: readonly string[], defaultOut: string): CliOptions {
  const { values } = parseArgs({
    args: [...args].filter((a) => a !== '--'),
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      connections: { type: 'string' },
      servers: { type: 'string' },
      shapes: { type: 'string' },
      rounds: { type: 'string' },
      clock: { type: 'string' },
      profile: { type: 'boolean', default: false },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const only = values.only ?? null;
  if (only !== null && only !== 'parser' && only !== 'fanout') {
    throw new TypeError(`@app/bench: --only must be "parser" or "fanout", got "${only}"`);
  }
  const quick = values.quick === true;
  const given = (list(values.connections) ?? (quick ? ['250', '1000'] : ['1000', '5000', '10000'])).map(
    Number,
  );
  if (given.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new TypeError(`@app/bench: --connections must be positive integers, got "${values.connections}"`);
  }
  // Each count once, smallest first: the report has one column per count, in order.
  const connections = [...new Set(given)].sort((a, b) => a - b);
  const servers = [
    ...new Set(
      (list(values.servers) ?? [...SERVER_KINDS]).flatMap((s) => (s === 'ours' ? [...OURS_KINDS] : [s])),
    ),
  ];
  const unknown = servers.filter((s) => !(SERVER_KINDS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new TypeError(
      `@app/bench: unknown server ${unknown.join(', ')}; one of ${SERVER_KINDS.join(', ')}`,
    );
  }
  const rounds = values.rounds === undefined ? (quick ? 5 : 20) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new TypeError(`@app/bench: --rounds must be a positive integer`);
  const clock = values.clock ?? 'wall';
  if (clock !== 'wall' && clock !== 'cpu')
    throw new TypeError(`@app/bench: --clock must be "wall" or "cpu", got "${clock}"`);
  const customised =
    quick ||
    only !== null ||
    values.connections !== undefined ||
    values.servers !== undefined ||
    values.shapes !== undefined ||
    values.rounds !== undefined ||
    values.profile === true ||
    values.clock !== undefined;
  return {
    only,
    quick,
    connections,
    servers: servers as ServerKind[],
    shapes: list(values.shapes),
    rounds,
    clock,
    profile: values.profile === true,
    write: values['no-write'] === true ? false : (values.write ?? !customised),
    out: values.out ?? defaultOut,
    help: values.help === true,
  };
}
