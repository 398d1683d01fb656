// Bundles the client for browsers the way an application's bundler would, and fails when it
// needs Node (a `node:` import, a Node builtin module, a Node global such as `process` or
// `Buffer`) or grows past its size budget. zod is left out: applications share one copy.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Budget for the minified + gzipped bundle (zod excluded), in bytes: first measured at 9,502 bytes,
 * plus ~10%; raised to 10,800 when the catalog gained `toContract()` and the client learned compatible
 * catalogs (10,528 bytes); client.metrics() brought it to 10,682; the `share` option's checks and
 * its on-demand loader to 11,257 (the sharing code itself, ~2 KB, is a chunk loaded only when
 * a client shares, and is not counted); the parser's faster handling of lines across reads and its
 * error texts as functions of their own to 11,339.
 */
const BUDGET_GZIP_BYTES = 11_400;

const NODE_GLOBALS = ['process', 'Buffer', 'global', '__dirname', '__filename', 'require', 'setImmediate'];
const MARKER = '__node_global_used__';
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const problems = [];

const result = await build({
  entryPoints: ['src/index.ts'],
  absWorkingDir: packageRoot,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  // Code loaded on demand (the `share` option's) becomes chunks of its own, as in an app's build.
  splitting: true,
  outdir: 'browser-bundle',
  write: false,
  metafile: true,
  logLevel: 'silent',
  // Workspace packages are bundled from their TypeScript sources.
  conditions: ['@app/source'],
  external: ['zod'],
  // A free reference to a Node global becomes a marker the check below finds; property names and
  // strings that merely spell them are untouched.
  define: Object.fromEntries(NODE_GLOBALS.map((name) => [name, `${MARKER}${name}`])),
  plugins: [
    {
      name: 'refuse-node-builtins',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /.*/ }, (args) => {
          if (builtins.has(args.path)) {
            problems.push(`imports the Node builtin "${args.path}" (from ${args.importer || 'the entry'})`);
            return { path: args.path, external: true };
          }
          return undefined;
        });
      },
    },
  ],
}).catch((error) => {
  console.error(`@app/sse-client: the browser bundle failed to build:\n${error.message}`);
  process.exit(1);
});

const files = new Map(result.outputFiles.map((file) => [path.relative(packageRoot, file.path), file]));
const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined);
/** The output files an import of the entry loads before it runs: itself and its static imports. */
function loadedUpFront(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const imported of outputs[name].imports) {
    if (imported.kind === 'import-statement' && !imported.external) loadedUpFront(imported.path, seen);
  }
  return seen;
}
const upFront = loadedUpFront(entry);
const gzipSize = (names) =>
  [...names].reduce((sum, name) => sum + gzipSync(files.get(name).contents, { level: 9 }).byteLength, 0);
const minifiedSize = (names) =>
  [...names].reduce((sum, name) => sum + files.get(name).contents.byteLength, 0);

for (const file of result.outputFiles) {
  for (const match of new Set(file.text.match(new RegExp(`${MARKER}\\w+`, 'g')) ?? [])) {
    problems.push(`uses the Node global "${match.slice(MARKER.length)}"`);
  }
}
for (const meta of Object.values(outputs)) {
  for (const imported of meta.imports) {
    // zod and its subpaths (`zod/mini`, `zod/v4/core`) are the application's one copy.
    const zod = imported.path === 'zod' || imported.path.startsWith('zod/');
    if (imported.external && !zod && !builtins.has(imported.path)) {
      problems.push(`leaves the import "${imported.path}" unbundled`);
    }
  }
}

const gzipped = gzipSize(upFront);
const onDemand = Object.keys(outputs).filter((name) => !upFront.has(name) && name.endsWith('.js'));
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
console.log(
  `@app/sse-client browser bundle (esm, minified, zod excluded): ${kib(minifiedSize(upFront))} minified, ${kib(gzipped)} gzip (${gzipped} bytes; budget ${kib(BUDGET_GZIP_BYTES)}); loaded on demand (share): ${kib(gzipSize(onDemand))} gzip in ${onDemand.length} chunk${onDemand.length === 1 ? '' : 's'}`,
);
if (gzipped > BUDGET_GZIP_BYTES) {
  problems.push(`is ${gzipped} bytes gzipped, over its budget of ${BUDGET_GZIP_BYTES} bytes`);
}
if (onDemand.length === 0)
  problems.push('has no chunk loaded on demand: the sharing code is in the main bundle');
if (problems.length > 0) {
  console.error(problems.map((problem) => `@app/sse-client: the browser bundle ${problem}`).join('\n'));
  process.exit(1);
}
