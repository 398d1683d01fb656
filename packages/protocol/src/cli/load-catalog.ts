import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type EventCatalog, isEventCatalog } from '../catalog';
import { type CatalogContract, readContract } from '../contract';

/** A failure the CLI reports on one line, exiting with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Imports a module. TypeScript loads natively where Node strips types (22.18 and later, 23.6 and
 * later); on older Node it goes through `tsx` when the project has it installed.
 */
async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!TS_EXTENSIONS.has(extname(path)) || code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
  }
  let tsxApi: string;
  try {
    // The ESM entry of `tsx/esm/api` as the project installed it (require.resolve would give the
    // CommonJS one, which cannot load ES modules on every Node 20).
    const manifest = createRequire(resolve(process.cwd(), 'package.json')).resolve('tsx/package.json');
    const { exports } = JSON.parse(await readFile(manifest, 'utf8')) as {
      exports: Record<string, { import: { default: string } }>;
    };
    tsxApi = join(dirname(manifest), exports['./esm/api']?.import.default as string);
  } catch {
    throw new UsageError(
      `cannot load ${path}: this Node (${process.version}) does not run TypeScript. ` +
        'Install tsx in the project (npm i -D tsx), use Node 22.18 or later, or point at the compiled .js file',
    );
  }
  const { tsImport } = (await import(pathToFileURL(tsxApi).href)) as {
    tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>>;
  };
  return tsImport(url, import.meta.url);
}

/**
 * Loads one side of a comparison: a contract file (`.json`, as `snapshot` writes it) or a module
 * that exports a catalog (`defineEvents`). In a module, the catalog is the export named `name`, else
 * the default export, else the one export that is a catalog.
 *
 * @param specifier - a file path, relative to the working directory
 * @param name - the export to take
 */
export async function loadCatalog(specifier: string, name?: string): Promise<EventCatalog | CatalogContract> {
  const path = resolve(process.cwd(), specifier);
  if (extname(path) === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${specifier}: ${(error as Error).message}`);
    }
    try {
      return readContract(JSON.parse(text));
    } catch (error) {
      throw new UsageError(`${specifier}: ${(error as Error).message}`);
    }
  }
  const exports = await importModule(path);
  if (name !== undefined) {
    if (isEventCatalog(exports[name])) return exports[name];
    throw new UsageError(`${specifier} has no catalog export named ${JSON.stringify(name)}`);
  }
  if (isEventCatalog(exports.default)) return exports.default;
  const catalogs = Object.keys(exports).filter((key) => isEventCatalog(exports[key]));
  if (catalogs.length === 1) return exports[catalogs[0] as string] as EventCatalog;
  if (catalogs.length === 0) {
    throw new UsageError(`${specifier} exports no event catalog (a defineEvents() result)`);
  }
  throw new UsageError(
    `${specifier} exports several catalogs (${catalogs.join(', ')}): choose one with --export`,
  );
}
