import { OURS_KINDS, rawBaselineOf } from '../fanout/messages';
import type { FanoutBenchOptions, FanoutBenchResult, FanoutMeasurement } from '../fanout/run-fanout';
import {
  compareWithTargets,
  memoryRatio,
  pairedRatio,
  TARGETED_KINDS,
  type TargetCheck,
} from '../fanout/targets';
import type { ParserBenchResult } from '../parser/run-parser-bench';
import { median } from '../statistics';
import type { MachineInfo } from './machine';
import { formatBytes, formatCount, formatInteger, formatMs, formatRatio } from './number-format';

/** Everything the report is written from. */
export interface ReportInput {
  machine: MachineInfo;
  /** The command that produced it, shown so anyone can reproduce it. */
  command: string;
  /** Where the workspace packages were loaded from: their built `dist` or their TypeScript sources. */
  packagesFrom: 'dist' | 'src';
  parser: ParserBenchResult | null;
  fanout: { result: FanoutBenchResult; options: FanoutBenchOptions } | null;
  /** Paths of the charts relative to the report, when written. */
  parserChart: string | null;
  fanoutChart: string | null;
  durationSeconds: number;
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('l' | 'r')[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** The parser's target: the geometric mean of the per-shape ratios, at least this. */
const PARSER_GEOMEAN_TARGET = 1.2;

function parserSection(parser: ParserBenchResult, chart: string | null): string {
  const rows = parser.results.map((r) => [
    `\`${r.shape}\``,
    r.description,
    formatBytes(r.bytes),
    formatInteger(r.chunks),
    formatCount(r.oursOpsPerSecond),
    formatCount(r.theirsOpsPerSecond),
    `**${formatRatio(r.ratio)}**`,
    `${r.ratioLow.toFixed(2)} to ${r.ratioHigh.toFixed(2)}`,
  ]);
  const names = (results: typeof parser.results) => results.map((r) => `\`${r.shape}\``).join(', ');
  const notFaster = parser.results.filter((r) => r.ratio < 1);
  const geometricMean = Math.exp(
    parser.results.reduce((sum, r) => sum + Math.log(r.ratio), 0) / Math.max(1, parser.results.length),
  );
  const geometricVerdict = `Geometric mean of the ratios: **${formatRatio(geometricMean)}** (target: at least ${formatRatio(PARSER_GEOMEAN_TARGET)}, ${geometricMean >= PARSER_GEOMEAN_TARGET ? 'met' : 'not met'}).`;
  // Slower in the middle half of the rounds, or only at the median (parity within the noise).
  const slower = notFaster.filter((r) => r.ratioHigh < 1);
  const even = notFaster.filter((r) => r.ratioHigh >= 1);
  return [
    '## Parser: `@app/sse-protocol` against `eventsource-parser`',
    '',
    `Ops/s = whole-input parses per second (median of ${parser.rounds} interleaved rounds); ratio = ours / ${parser.theirs} ${parser.theirsVersion}, median of the per-round ratios (above 1: ours is faster); spread = first to third quartile of the per-round ratios. Time is ${parser.clock === 'cpu' ? "this process's CPU time (user + system)" : 'elapsed (wall-clock) time'}.`,
    '',
    table(
      ['shape', 'input', 'size', 'chunks', 'ours ops/s', 'eventsource-parser ops/s', 'ratio', 'spread'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    notFaster.length === 0
      ? 'Ours is faster on every shape: that target is met.'
      : [
          slower.length === 0
            ? ''
            : `Ours is slower on ${names(slower)} (in the middle half of the rounds too). `,
          even.length === 0 ? '' : `Ours is level with it, within the noise, on ${names(even)}. `,
          'The target (faster on every shape) is not met.',
        ].join(''),
    '',
    geometricVerdict,
    ...(chart === null ? [] : ['', `![Parser throughput ratio per input shape](${chart})`]),
  ].join('\n');
}

function measurementRow(m: FanoutMeasurement, load: string): string[] {
  if (m.error !== null) {
    const blank = Array.from({ length: 11 }, () => '');
    return [m.label, formatInteger(m.connections), `failed: ${m.error.split('\n')[0]}`, ...blank];
  }
  const middle = (values: number[]) => (values.length > 0 ? median(values) : Number.NaN);
  return [
    m.label,
    formatInteger(m.connections),
    formatCount(middle(m.deliveriesPerSecond)),
    `${middle(m.serverCpuMicrosPerDelivery).toFixed(2)} µs`,
    `${Math.round(middle(m.loadUtilization) * 100)}%`,
    formatMs(m.latencyP50Ms),
    formatMs(m.latencyP99Ms),
    formatMs(m.fanoutCompleteMs),
    formatMs(m.burstLatencyP50Ms),
    formatMs(m.burstLatencyP99Ms),
    formatBytes(m.rssPerConnectionBytes),
    formatBytes(m.heapPerConnectionBytes),
    `${m.connectSeconds.toFixed(1)} s`,
    load,
  ];
}

function cell(c: TargetCheck | undefined, verdict: boolean): string {
  if (c === undefined) return '';
  const value = formatRatio(c.value);
  // No ratio (a server failed, or its reference's memory fell): nothing was outside the bound.
  if (!verdict) return c.met || !Number.isFinite(c.value) ? value : `${value} (over)`;
  return c.met ? `**${value}** met` : `**${value} missed**`;
}

/** Ratios without a target that help read the others (lower is better for both), and the fetch adapter's. */
function informationalRows(result: FanoutBenchResult, counts: readonly number[]): string[][] {
  const at = (kind: FanoutMeasurement['kind'], n: number) =>
    result.measurements.find((m) => m.kind === kind && m.connections === n && m.error === null);
  const row = (
    kind: FanoutMeasurement['kind'],
    name: string,
    value: (ours: FanoutMeasurement, raw: FanoutMeasurement) => number,
    baseline: FanoutMeasurement['kind'] = rawBaselineOf(kind),
  ) => [
    `${name}, ${kind} / ${baseline}`,
    'no target',
    ...counts.map((n) => {
      const ours = at(kind, n);
      const raw = at(baseline, n);
      return ours === undefined || raw === undefined ? '' : formatRatio(value(ours, raw));
    }),
  ];
  const rss = (o: FanoutMeasurement, r: FanoutMeasurement) =>
    memoryRatio(o.rssPerConnectionBytes, r.rssPerConnectionBytes);
  const heap = (o: FanoutMeasurement, r: FanoutMeasurement) =>
    memoryRatio(o.heapPerConnectionBytes, r.heapPerConnectionBytes);
  const kinds = OURS_KINDS.filter((kind) => result.measurements.some((m) => m.kind === kind));
  const rows: string[][] = [];
  for (const kind of kinds) {
    if (!(TARGETED_KINDS as readonly string[]).includes(kind)) {
      rows.push(
        row(kind, 'deliveries/s', (o, r) => pairedRatio(o.deliveriesPerSecond, r.deliveriesPerSecond)),
        row(kind, 'single fan-out p99', (o, r) => o.latencyP99Ms / r.latencyP99Ms),
        row(kind, 'RSS per idle connection', rss),
      );
    }
    rows.push(
      row(kind, 'burst p99', (o, r) => o.burstLatencyP99Ms / r.burstLatencyP99Ms),
      row(kind, 'server CPU per delivery', (o, r) =>
        pairedRatio(o.serverCpuMicrosPerDelivery, r.serverCpuMicrosPerDelivery),
      ),
      row(kind, 'heap per idle connection', heap),
    );
  }
  // The same raw writer under Express: what Express costs a stream, and what ours adds on top of it.
  if (result.measurements.some((m) => m.kind === 'raw-express')) {
    rows.push(
      row('raw-express', 'RSS per idle connection', rss),
      row('raw-express', 'heap per idle connection', heap),
    );
    if (kinds.includes('ours-express')) {
      rows.push(
        row('ours-express', 'RSS per idle connection', rss, 'raw-express'),
        row('ours-express', 'heap per idle connection', heap, 'raw-express'),
      );
    }
  }
  return rows;
}

function fanoutSection(result: FanoutBenchResult, options: FanoutBenchOptions, chart: string | null): string {
  const comparisons = compareWithTargets(result.measurements);
  const counts = comparisons.map((c) => c.connections);
  // The project sets its targets at the largest count (10,000 connections in the full run); at
  // smaller counts RSS per connection is dominated by allocation granularity and is shown only.
  const largest = Math.max(...counts);
  const names = [...new Set(comparisons.flatMap((c) => c.checks.map((x) => x.name)))];
  const targetRows = names.map((name) => {
    const first = comparisons.flatMap((c) => c.checks).find((x) => x.name === name) as TargetCheck;
    return [
      name,
      `${first.direction} ${first.bound}`,
      ...comparisons.map((c) =>
        cell(
          c.checks.find((x) => x.name === name),
          c.connections === largest || first.everyCount,
        ),
      ),
    ];
  });
  const verdict = comparisons.find((c) => c.connections === largest);
  const missed = [
    ...new Set(
      comparisons.flatMap((c) =>
        c.checks
          .filter((x) => !x.met && (c.connections === largest || x.everyCount))
          .map((x) => (c.connections === largest ? x.name : `${x.name} at ${formatInteger(c.connections)}`)),
      ),
    ),
  ];
  const burstNote = [
    ...new Set(result.measurements.map((m) => `${formatInteger(m.connections)}: ${m.burstEvents} events`)),
  ].join(', ');
  return [
    '## Fan-out: `@app/sse-server` (Express, node:http, fetch, node:http2) against `better-sse` and raw `node:http` / `node:http2` writers',
    '',
    `Targets, as ratios measured in the same run, for ours under Express 5 (\`app.get('/events', sse.handler())\`, the README's code), on plain node:http and on node:http2 (against the raw HTTP/2 writer); the fetch adapter (Hono) is reported below them. Burst deliveries/s against the raw writer is a target at every connection count; the others are set at the largest count (${formatInteger(largest)}), and the other columns show how they move with the count ("over": outside the bound there). The machine's load average during each count's run is in the measurements table.`,
    '',
    table(
      ['ratio', 'target', ...counts.map((n) => `${formatInteger(n)} connections`)],
      [...targetRows, ...informationalRows(result, counts)],
      ['l', 'l', ...counts.map((): 'r' => 'r')],
    ),
    '',
    verdict === undefined
      ? 'No target could be checked (ours did not run).'
      : missed.length === 0
        ? 'Every target is met.'
        : `Missed: ${missed.join('; ')}.`,
    '',
    'Measurements:',
    '',
    table(
      [
        'server',
        'connections',
        'deliveries/s',
        'server CPU / delivery',
        'load busy',
        'latency p50',
        'latency p99',
        'fan-out complete',
        'burst p50',
        'burst p99',
        'RSS / idle conn',
        'heap / idle conn',
        'connect all',
        'load avg',
      ],
      result.measurements.map((m) => {
        const load = result.loadAverages.find((l) => l.connections === m.connections);
        return measurementRow(
          m,
          load === undefined ? '' : `${load.during.toFixed(2)} (max ${load.highest.toFixed(2)})`,
        );
      }),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `deliveries/s: median of ${options.bursts} bursts (events per burst by connection count: ${burstNote}). ` +
      'Server CPU / delivery: CPU time of the server process during a burst divided by its deliveries (time other processes held the CPU is not counted, so it is steadier than deliveries/s on a busy machine). ' +
      'Load busy: CPU time of the load process / elapsed time during bursts; near 100%, the load process and not the server set the pace. ' +
      `Latency: publish to received over ${options.fanouts} single fan-outs, every connection pooled. ` +
      'Fan-out complete: median time until the last connection had a single event. ' +
      "Burst p50 / p99: publish to received of every event of every burst on every connection (each connection's last event of a read is timed at that read). " +
      "Load avg: the machine's 1-minute load average during that connection count's run (mean and highest of readings every second), shared by every server of the count.",
    ...(chart === null
      ? []
      : ['', `![Deliveries per second and single fan-out latency against connections](${chart})`]),
  ].join('\n');
}

function methodSection(input: ReportInput): string {
  const lines = ['## Method', ''];
  if (input.parser !== null) {
    lines.push(
      '**Parser.** Every input is built once, deterministically, as UTF-8 bytes cut into network-sized reads and decoded with a streaming `TextDecoder` (as a client does), so multi-byte characters are split across reads exactly as in production. Before timing, both parsers are checked to dispatch the same events (type, data and id). One operation = a fresh parser fed every chunk of the input, counting events and reading the data of each (its last character, as any application reads the data: a parser that hands over a rope of pieces pays the copy into one flat string there). Both run in the same process: a warm-up, then rounds in which each is timed once for a fixed number of operations (~' +
        `${input.parser.sampleMs} ms), the order swapped every round, with a full GC between samples, so drift and noise fall on both.`,
      '',
    );
  }
  if (input.fanout !== null) {
    const o = input.fanout.options;
    lines.push(
      '**Fan-out.** Each server runs in its own child process (`--expose-gc`) on 127.0.0.1, and its connections are held by its own load process, which counts tick events in the response bytes with a native byte search (no SSE parser, so the load stays far lighter than the servers). Over HTTP/1.1 each stream is a raw TCP socket that sends `GET /events` (no HTTP client); over HTTP/2 (cleartext h2c) the streams are multiplexed 100 to a `node:http2` session, with the flow-control windows Chrome sets (6 MiB a stream, 15 MiB a session). The servers are:',
      '',
      "- `@app/sse-server`: `createEmitter({ events, replay: { maxEvents: 1000 }, heartbeatMs: 15000 })`, each tick sent with `await sse.broadcast(name, data)` (validated against the zod catalog, stored with an id, serialised once, written to every stream), served four ways: under Express 5 as the README shows it (`app.get('/events', sse.handler())`), as a plain `http.createServer` listener, through `sse.fetchHandler(c.req.raw)` in a Hono route on `@hono/node-server`, and as `http2.createServer(sse.handler())` (the compatibility API);",
      '- `better-sse` under Express 5: `createSession(req, res)` per request, all registered on one `createChannel()`, `channel.broadcast(data, name)` per tick, default options;',
      '- raw: a `node:http` handler that keeps every response in a `Set` and writes one pre-encoded `Buffer` (`id`, `event`, `data` lines) to each: the practical limit, with no store, validation, backpressure handling or heartbeats; raw-express is the same handler mounted in Express 5 (`app.get("/events", handler)`), to show what Express itself costs a stream; raw-http2 does the same with the `stream` events of a `node:http2` server (each adapter is compared with the raw writer of its HTTP version, plain `node:http` for HTTP/1.1).',
      '',
      `Every event's data is a 1 KB JSON object carrying its publish time, read from the machine's monotonic clock (\`process.hrtime\`, the same clock in every process), so the load process computes publish-to-received latency without clock skew. For each connection count, every server first gets a warm-up (${o.warmupConnections} connections, fan-outs, a burst, disconnect); then its RSS is read after two full GCs with no connection and again with all connections idle, and the difference divided by the count gives RSS per idle connection. Then, interleaved across servers round by round with the order rotated every round: ${o.warmupFanouts} untimed and ${o.fanouts} timed single fan-outs (one event to every connection; latency of each connection recorded), and ${o.bursts} bursts (events published back to back; deliveries/s = connections x events / time from the first publish until the last connection had the last event). The load process records the time once per socket read, so its own work is inside every latency, equally for all servers. Ratios for deliveries/s are medians of per-round ratios.`,
      '',
    );
  }
  return lines.join('\n');
}

/**
 * Writes `BENCHMARKS.md`: the machine, the results tables with ratios and targets, the charts,
 * the method and how to reproduce.
 *
 * @param input - results and context, see {@link ReportInput}
 * @returns the Markdown text
 *
 * @example
 * ```ts
 * writeFileSync('BENCHMARKS.md', renderReport({ machine: describeMachine(), parser, fanout: null, ... }));
 * ```
 */
export function renderReport(input: ReportInput): string {
  const { machine } = input;
  const loads = input.fanout?.result.loadAverages ?? [];
  const parts = [
    '# Benchmarks',
    '',
    `Written by \`${input.command}\` on ${machine.date.slice(0, 10)} in ${Math.round(input.durationSeconds)} s. Absolute numbers depend on the machine and its load; the ratios, measured side by side in the same run, are what to compare.`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
        ['memory', formatBytes(machine.memoryBytes)],
        ['OS', machine.os],
        ['Node.js', machine.node],
        ['date', machine.date],
        [
          'load average (1 min)',
          [
            `${machine.loadAverage.toFixed(2)} at start`,
            ...loads.map(
              (l) =>
                `${l.during.toFixed(2)} during ${formatInteger(l.connections)} connections (highest ${l.highest.toFixed(2)})`,
            ),
          ].join(', '),
        ],
        [
          'packages',
          input.packagesFrom === 'dist'
            ? 'built `dist` (as published)'
            : 'TypeScript sources (`--conditions=@app/source`)',
        ],
      ],
      ['l', 'l'],
    ),
    '',
  ];
  if (input.parser !== null) parts.push(parserSection(input.parser, input.parserChart), '');
  if (input.fanout !== null)
    parts.push(fanoutSection(input.fanout.result, input.fanout.options, input.fanoutChart), '');
  parts.push(
    methodSection(input),
    '## Reproduce',
    '',
    '```sh',
    'pnpm bench                                    # both parts, writes this file and docs/bench-*.svg',
    'pnpm --filter @app/bench bench -- --quick     # a smaller run, printed only',
    '```',
    '',
    'See `apps/bench/README.md` for every option.',
    '',
  );
  return parts.join('\n');
}
