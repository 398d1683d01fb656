// The benchmark: `pnpm bench` at the repository root (builds the packages first), or
// `pnpm --filter @app/bench bench -- --help` for the options.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCliOptions, USAGE } from './cli-options';
import { formatProfileSummary, summariseCpuProfile } from './cpu-profile-summary';
import { ensureFileLimit } from './fanout/file-limit';
import { OURS_KINDS } from './fanout/messages';
import type { FanoutBenchOptions } from './fanout/run-fanout';
import { installedVersion } from './package-version';
import { describeMachine } from './report/machine';
import type { ReportInput } from './report/markdown-report';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const profileDir = resolve(fileURLToPath(new URL('../profiles', import.meta.url)));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Fails early, with the fix, when the workspace packages resolve to a `dist` that was never built. */
function packagesFrom(names: readonly string[]): 'dist' | 'src' {
  let from: 'dist' | 'src' = 'dist';
  for (const name of names) {
    let path: string | null = null;
    try {
      path = fileURLToPath(import.meta.resolve(name));
    } catch {
      // resolution checks that the file exists: a missing dist lands here
    }
    if (path === null || !existsSync(path)) {
      throw new Error(
        `@app/bench: ${name} is not built (${path ?? 'its dist'} is missing). Run \`pnpm bench\` at the repository root ` +
          '(it builds first), or `pnpm turbo run build --filter=@app/bench...`, or pass --conditions=@app/source to node.',
      );
    }
    if (!path.includes(join('dist', ''))) from = 'src';
  }
  return from;
}

/** Node flags for the child processes: this process's loader and conditions, minus profilers. */
function childExecArgv(): string[] {
  return process.execArgv.filter((flag) => !/^--(cpu-prof|heap-prof|inspect|expose-gc)/.test(flag));
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), join(repoRoot, 'BENCHMARKS.md'));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const started = performance.now();
  const machine = describeMachine();
  const from = packagesFrom(
    options.only === 'parser' || !options.servers.some((s) => (OURS_KINDS as readonly string[]).includes(s))
      ? ['@app/sse-protocol']
      : ['@app/sse-protocol', '@app/sse-server'],
  );
  log(`@app/bench on ${machine.cpuModel} x${machine.cores}, Node ${machine.node}, packages from ${from}`);

  let parser: ReportInput['parser'] = null;
  if (options.only !== 'fanout') {
    if (typeof globalThis.gc !== 'function')
      log('note: run with --expose-gc so samples start from a clean heap');
    const { runParserBench } = await import('./parser/run-parser-bench');
    log('parser benchmark');
    parser = runParserBench(
      {
        rounds: options.rounds,
        sampleMs: options.quick ? 40 : 60,
        warmupMs: options.quick ? 200 : 400,
        clock: options.clock,
        ...(options.shapes === null ? {} : { shapes: options.shapes }),
        log,
      },
      installedVersion('eventsource-parser'),
    );
  }

  let fanout: ReportInput['fanout'] = null;
  if (options.only !== 'parser') {
    const { runFanoutBench } = await import('./fanout/run-fanout');
    const largest = Math.max(...options.connections);
    const limit = ensureFileLimit(largest + 1024);
    if (limit !== null && limit.soft < largest + 64) {
      throw new Error(
        `@app/bench: the open-files limit is ${limit.soft}, too low for ${largest} connections; raise it (ulimit -n ${largest + 1024})`,
      );
    }
    if (options.profile) {
      rmSync(profileDir, { recursive: true, force: true });
      mkdirSync(profileDir, { recursive: true });
    }
    const fanoutOptions: FanoutBenchOptions = {
      connections: options.connections,
      kinds: options.servers,
      fanouts: options.quick ? 8 : 20,
      warmupFanouts: 3,
      bursts: options.quick ? 3 : 9,
      burstDeliveries: options.quick ? 50_000 : 200_000,
      warmupConnections: 100,
      pauseMs: 30,
      connectConcurrency: 256,
      stepTimeoutMs: 120_000,
      execArgv: childExecArgv(),
      profileDir: options.profile ? profileDir : null,
      log,
    };
    fanout = { result: await runFanoutBench(fanoutOptions), options: fanoutOptions };
    if (options.profile) {
      for (const file of readdirSync(profileDir).sort()) {
        log(`\n== ${relative(repoRoot, join(profileDir, file))} (bursts only)`);
        log(formatProfileSummary(summariseCpuProfile(join(profileDir, file), 25)));
      }
    }
  }

  const { renderReport } = await import('./report/markdown-report');
  const docsDir = join(dirname(options.out), 'docs');
  const charts: { parser: string | null; fanout: string | null } = { parser: null, fanout: null };
  if (options.write) {
    mkdirSync(docsDir, { recursive: true });
    if (parser !== null) {
      const { renderParserChart } = await import('./report/parser-chart');
      writeFileSync(join(docsDir, 'bench-parser.svg'), renderParserChart(parser.results));
      charts.parser = 'docs/bench-parser.svg';
    }
    if (fanout !== null) {
      const { renderFanoutChart } = await import('./report/fanout-chart');
      writeFileSync(join(docsDir, 'bench-fanout.svg'), renderFanoutChart(fanout.result.measurements));
      charts.fanout = 'docs/bench-fanout.svg';
    }
  }
  const report = renderReport({
    machine,
    command: ['pnpm bench', ...process.argv.slice(2).filter((a) => a !== '--')].join(' '),
    packagesFrom: from,
    parser,
    fanout,
    parserChart: charts.parser,
    fanoutChart: charts.fanout,
    durationSeconds: (performance.now() - started) / 1000,
  });
  process.stdout.write(`${report}\n`);
  if (options.write) {
    writeFileSync(options.out, withHandWrittenSections(report, options.out));
    log(`wrote ${relative(process.cwd(), options.out)} and ${relative(process.cwd(), docsDir)}/bench-*.svg`);
  }
}

/**
 * The scale-out, drain and soak figures come from their own commands (`bench:scale-out`, which
 * needs redis-server, `bench:drain`, `bench:soak`) and are written into BENCHMARKS.md by hand: a
 * rerun of this report keeps those sections (from "## Scale-out" to "## Method") instead of
 * dropping them.
 */
function withHandWrittenSections(report: string, file: string): string {
  if (!existsSync(file)) return report;
  const previous = readFileSync(file, 'utf8');
  const start = previous.indexOf('## Scale-out');
  const end = previous.indexOf('## Method', start);
  const method = report.indexOf('## Method');
  if (start === -1 || end === -1 || method === -1) return report;
  return `${report.slice(0, method)}${previous.slice(start, end)}${report.slice(method)}`;
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
