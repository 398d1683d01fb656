// Bundles the client for browsers the way an application's bundler would, and fails when it
// needs Node (a `node:` import, a Node builtin module, a Node global such as `process` or
// `Buffer`) or grows past its size budget. zod is left out: applications share one copy.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Budget for the minified + gzipped bundle (zod excluded), in bytes: first measured at 9,502 bytes,
 * plus ~10%; raised to 10,800 when the catalog gained `toContract()` and the client learned compatible
 * catalogs (10,528 bytes); client.metrics() brought it to 10,682.
 */
const BUDGET_GZIP_BYTES = 10_800;

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

const [output] = result.outputFiles;
const code = output.text;
for (const match of new Set(code.match(new RegExp(`${MARKER}\\w+`, 'g')) ?? [])) {
  problems.push(`uses the Node global "${match.slice(MARKER.length)}"`);
}
for (const meta of Object.values(result.metafile.outputs)) {
  for (const imported of meta.imports) {
    // zod and its subpaths (`zod/mini`, `zod/v4/core`) are the application's one copy.
    const zod = imported.path === 'zod' || imported.path.startsWith('zod/');
    if (imported.external && !zod && !builtins.has(imported.path)) {
      problems.push(`leaves the import "${imported.path}" unbundled`);
    }
  }
}

const minified = output.contents.byteLength;
const gzipped = gzipSync(output.contents, { level: 9 }).byteLength;
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
console.log(
  `@app/sse-client browser bundle (esm, minified, zod excluded): ${kib(minified)} minified, ${kib(gzipped)} gzip (${gzipped} bytes; budget ${kib(BUDGET_GZIP_BYTES)})`,
);
if (gzipped > BUDGET_GZIP_BYTES) {
  problems.push(`is ${gzipped} bytes gzipped, over its budget of ${BUDGET_GZIP_BYTES} bytes`);
}
if (problems.length > 0) {
  console.error(problems.map((problem) => `@app/sse-client: the browser bundle ${problem}`).join('\n'));
  process.exit(1);
}
