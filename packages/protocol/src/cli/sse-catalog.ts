import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type CompatibilityFinding,
  type CompatibilityMode,
  type CompatibilityResult,
  checkCompatibility,
} from '../compatibility';
import type { CatalogContract } from '../contract';
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

function toContract(side: Awaited<ReturnType<typeof loadCatalog>>): CatalogContract {
  return 'toContract' in side ? side.toContract() : side;
}

/** What one run printed and its exit status. */
export interface CliResult {
  status: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI on `argv` (without `node` and the script). Never exits the process: `main` does.
 *
 * @param argv - the arguments
 */
export async function runCli(argv: readonly string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
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
    if (values.help || command === undefined)
      return { status: command === undefined && !values.help ? 2 : 0, stdout: `${HELP}\n`, stderr: '' };
    const mode = values.mode as CompatibilityMode;
    if (!MODES.has(mode))
      throw new UsageError(`--mode must be full, backward or forward, not ${JSON.stringify(values.mode)}`);
    const load = (file: string | undefined, what: string) => {
      if (file === undefined) throw new UsageError(`${command} needs ${what}`);
      return loadCatalog(file, values.export);
    };
    if (command === 'snapshot') {
      const contract = toContract(await load(files[0], 'the catalog module'));
      const text = `${JSON.stringify(contract, null, 2)}\n`;
      if (values.out === undefined) out.push(text.trimEnd());
      else {
        await writeFile(values.out, text);
        out.push(
          `wrote ${values.out} (${Object.keys(contract.events).length} events, ${contract.fingerprint})`,
        );
      }
      return { status: 0, stdout: `${out.join('\n')}\n`, stderr: '' };
    }
    if (command === 'check') {
      if (values.against === undefined) throw new UsageError('check needs --against <snapshot.json>');
      const next = await load(files[0], 'the catalog module');
      const previous = await loadCatalog(values.against);
      const result: CompatibilityResult = checkCompatibility(previous, next, { mode });
      const breaking = result.findings.filter((finding) => breaksMode(finding, mode));
      for (const finding of breaking) out.push(`${line(finding)}\n  fix: ${finding.fix}`);
      const safe = result.findings.length - breaking.length;
      if (!result.compatible) {
        out.push(`${breaking.length} breaking change(s) in ${mode} mode against ${values.against}`);
        return { status: 1, stdout: `${out.join('\n')}\n`, stderr: '' };
      }
      const stale = toContract(previous).fingerprint !== toContract(next).fingerprint;
      out.push(
        `compatible (${mode}) with ${values.against}: ${safe} safe change(s)` +
          (stale ? '; run `sse-catalog snapshot --out` to record them' : ''),
      );
      return { status: 0, stdout: `${out.join('\n')}\n`, stderr: '' };
    }
    if (command === 'diff') {
      const previous = await load(files[0], 'two catalogs: <before> <after>');
      const next = await load(files[1], 'two catalogs: <before> <after>');
      const { findings } = checkCompatibility(previous, next, { mode });
      for (const finding of findings) out.push(line(finding));
      if (findings.length === 0) out.push('no changes');
      return { status: 0, stdout: `${out.join('\n')}\n`, stderr: '' };
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)} (snapshot, check or diff)`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.push(`sse-catalog: ${(error as Error).message}`);
    } else {
      err.push(`sse-catalog: ${(error as Error)?.stack ?? String(error)}`);
    }
    return { status: 2, stdout: out.length > 0 ? `${out.join('\n')}\n` : '', stderr: `${err.join('\n')}\n` };
  }
}
