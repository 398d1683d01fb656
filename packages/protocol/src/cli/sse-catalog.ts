import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isEventCatalog } from '../catalog';
import { type CompatibilityFinding, type CompatibilityMode, checkCompatibility } from '../compatibility';
import { type CatalogContract, toContract } from '../contract';
import { loadCatalog, UsageError } from './load-catalog';

const HELP = `sse-catalog: snapshot an event catalog and check changes against it

Usage:
  sse-catalog snapshot <catalog> [--out <file.json>]
      Writes the catalog's contract (JSON) to the file, or to stdout. Commit it.
  sse-catalog check <catalog> --against <file.json> [--mode full|backward|forward]
      Exits 1 when the catalog breaks the snapshot in that mode (default full), printing
      each breaking change with its fix. Exits 0 when the change is safe.
  sse-catalog diff <before> <after>
      Prints every change, safe or not.

<catalog> is a module exporting a defineEvents() catalog (.js, .mjs, or .ts with tsx installed
or Node 22.18+), or a contract .json file. Pick one export with --export <name>.
Exit status: 0 ok, 1 breaking change, 2 bad usage or a file that cannot be loaded.`;

const MODES = new Set<CompatibilityMode>(['full', 'backward', 'forward']);

function line(finding: CompatibilityFinding): string {
  const breaks = finding.breaks.length === 0 ? 'safe' : `breaks ${finding.breaks.join('+')}`;
  return `${finding.event} ${finding.path} ${finding.kind} (${breaks}): ${finding.message}`;
}

function breaksMode(finding: CompatibilityFinding, mode: CompatibilityMode): boolean {
  return finding.breaks.some((direction) => mode === 'full' || direction === mode);
}

function contractOf(side: Awaited<ReturnType<typeof loadCatalog>>): CatalogContract {
  return isEventCatalog(side) ? toContract(side) : side;
}

/** What one run printed and its exit status. */
export interface CliResult {
  status: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/** The parsed command line. */
interface Invocation {
  files: string[];
  out: string | undefined;
  against: string | undefined;
  mode: CompatibilityMode;
  exportName: string | undefined;
}

const printed = (status: CliResult['status'], lines: string[]): CliResult => ({
  status,
  stdout: lines.length === 0 ? '' : `${lines.join('\n')}\n`,
  stderr: '',
});

function catalogArgument(invocation: Invocation, index: number, what: string) {
  const file = invocation.files[index];
  if (file === undefined) throw new UsageError(what);
  return loadCatalog(file, invocation.exportName);
}

async function snapshot(invocation: Invocation): Promise<CliResult> {
  const contract = contractOf(await catalogArgument(invocation, 0, 'snapshot needs the catalog module'));
  const text = `${JSON.stringify(contract, null, 2)}\n`;
  if (invocation.out === undefined) return printed(0, [text.trimEnd()]);
  await writeFile(invocation.out, text);
  const events = Object.keys(contract.events).length;
  return printed(0, [`wrote ${invocation.out} (${events} events, ${contract.fingerprint})`]);
}

async function check(invocation: Invocation): Promise<CliResult> {
  const { against, mode } = invocation;
  if (against === undefined) throw new UsageError('check needs --against <snapshot.json>');
  const next = await catalogArgument(invocation, 0, 'check needs the catalog module');
  const previous = await loadCatalog(against);
  const result = checkCompatibility(previous, next, { mode });
  const breaking = result.findings.filter((finding) => breaksMode(finding, mode));
  const lines = breaking.map((finding) => `${line(finding)}\n  fix: ${finding.fix}`);
  if (!result.compatible) {
    return printed(1, [...lines, `${breaking.length} breaking change(s) in ${mode} mode against ${against}`]);
  }
  const stale = contractOf(previous).fingerprint !== contractOf(next).fingerprint;
  // In one direction's mode, a change that breaks only the other one is not safe: it is not judged.
  const safe = result.findings.filter((finding) => finding.breaks.length === 0).length;
  const other = result.findings.length - breaking.length - safe;
  const unjudged =
    other === 0
      ? ''
      : `, ${other} breaking only ${mode === 'backward' ? 'forward' : 'backward'} (not checked in ${mode} mode)`;
  return printed(0, [
    `compatible (${mode}) with ${against}: ${safe} safe change(s)${unjudged}` +
      (stale ? '; run `sse-catalog snapshot --out` to record them' : ''),
  ]);
}

async function diff(invocation: Invocation): Promise<CliResult> {
  const previous = await catalogArgument(invocation, 0, 'diff needs two catalogs: <before> <after>');
  const next = await catalogArgument(invocation, 1, 'diff needs two catalogs: <before> <after>');
  const { findings } = checkCompatibility(previous, next, { mode: invocation.mode });
  return printed(0, findings.length === 0 ? ['no changes'] : findings.map(line));
}

const COMMANDS: Record<string, (invocation: Invocation) => Promise<CliResult>> = { snapshot, check, diff };

/**
 * Runs the CLI on `argv` (without `node` and the script). Never exits the process: `main` does.
 *
 * @param argv - the arguments
 */
export async function runCli(argv: readonly string[]): Promise<CliResult> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        against: { type: 'string' },
        mode: { type: 'string', default: 'full' },
        export: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...files] = positionals;
    if (values.help) return printed(0, [HELP]);
    if (command === undefined) return printed(2, [HELP]);
    const run = COMMANDS[command];
    if (run === undefined) {
      throw new UsageError(`unknown command ${JSON.stringify(command)} (snapshot, check or diff)`);
    }
    const mode = values.mode as CompatibilityMode;
    if (!MODES.has(mode)) {
      throw new UsageError(`--mode must be full, backward or forward, not ${JSON.stringify(values.mode)}`);
    }
    return await run({ files, out: values.out, against: values.against, mode, exportName: values.export });
  } catch (error) {
    const known =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // A misuse is one line; anything else (a module that throws on import) keeps its stack.
    const text = known ? (error as Error).message : ((error as Error)?.stack ?? String(error));
    return { status: 2, stdout: '', stderr: `sse-catalog: ${text}\n` };
  }
}
