// Bundles the client for browsers the way an application's bundler would, and fails when it
// needs Node (a `node:` import, a Node builtin module, a Node global such as `process` or
// `Buffer`) or grows past its size budgets. zod is left out: applications share one copy.
//
// Two bundles are measured, each counting what an import loads before it runs (the entry and its
// static imports; chunks loaded on demand are reported apart):
// - the client's `src/index.ts` from source, where the Node checks apply;
// - what an application pays: `createClient` and `defineEvents` imported from the published builds
//   (`dist/`) of the client and the protocol, as an app's bundler sees them.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Budget for the client's `src/index.ts`, minified + gzipped (zod excluded), in bytes: first
 * measured at 9,502 bytes, plus ~10%; raised to 10,800 with compatible catalogs, then to 11,400
 * with `client.metrics()`, the `share` option's checks and loader (the sharing code is a chunk
 * loaded on demand) and the parser's handling of lines across reads; 11,490 with the catalog check
 * run on demand (its loader, and unknown-event reports held until it completes); 11,700 with the
 * parser's `onLastEventId` (an id-only block told as it happens, 11,612 bytes); lowered to 11,500
 * when the `eventsource` transport became a chunk loaded on demand (11,394 bytes); 11,600 with
 * event IDs that cannot be sent back ignored, an oversized line dropping its event, `close()`
 * stopping the event's other handlers and O(1) listener removal (11,553 bytes); 11,625 with
 * `pauseWhenHidden` for share groups and a share group's new leader resuming the group's retry
 * schedule (11,605 bytes); 11,650 with the server's `retry:` waited whole before the backoff
 * (11,626 bytes).
 */
const CLIENT_BUDGET_GZIP_BYTES = 11_650;
/**
 * Budget for an application's `createClient` + `defineEvents`, from the published builds: 12,451
 * bytes when the catalog's fingerprint, JSON Schema, AsyncAPI and contract code moved to the
 * protocol's `contract` entry point (14,318 before, plus zod's JSON Schema generator, ~7 KB);
 * lowered to 12,450 when the `eventsource` transport moved to a chunk loaded on demand (12,368);
 * 12,550 with the fixes listed above (12,517); 12,600 with `pauseWhenHidden` for share groups (the
 * page's visibility handed to the reconnect loop as a source the group's leader can replace) and
 * the leader resuming the group's retry schedule (12,580).
 */
const APP_BUDGET_GZIP_BYTES = 12_600;
/** Protocol modules that only tooling and the catalog check need: never loaded up front. */
const CONTRACT_ONLY = /\/(fingerprint|sha256|json-schema|asyncapi|contract|compatibility)\.ts$/;
/** Client modules that only some apps use (sharing, the catalog check, the `eventsource` transport). */
const ON_DEMAND_ONLY =
  /\/(shared-loop|group-visibility|share-messages|catalog-fingerprint|eventsource-transport)\.ts$/;

const NODE_GLOBALS = ['process', 'Buffer', 'global', '__dirname', '__filename', 'require', 'setImmediate'];
const MARKER = '__node_global_used__';
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const problems = [];

/**
 * Bundles for browsers as an application's build would (esbuild, minified, with code splitting so
 * code loaded by `import()` becomes chunks of its own).
 *
 * @param entry - `{ entryPoints }` or `{ stdin }` for esbuild
 * @param conditions - extra export conditions (`@app/source` to bundle workspace sources)
 * @param outdir - a folder name for the outputs (nothing is written)
 */
async function bundle(entry, conditions, outdir) {
  const result = await build({
    ...entry,
    absWorkingDir: packageRoot,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    splitting: true,
    outdir,
    write: false,
    metafile: true,
    logLevel: 'silent',
    conditions,
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
  const entryName = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined);
  const upFront = new Set();
  const visit = (name) => {
    if (upFront.has(name)) return;
    upFront.add(name);
    for (const imported of outputs[name].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryName);
  const onDemand = Object.keys(outputs).filter((name) => !upFront.has(name) && name.endsWith('.js'));
  const gzip = (names) =>
    names.reduce((sum, name) => sum + gzipSync(files.get(name).contents, { level: 9 }).byteLength, 0);
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
  return {
    upFrontGzip: gzip([...upFront]),
    upFrontMinified: [...upFront].reduce((sum, name) => sum + files.get(name).contents.byteLength, 0),
    upFrontText: [...upFront].map((name) => files.get(name).text).join('\n'),
    upFrontInputs: [...upFront].flatMap((name) => Object.keys(outputs[name].inputs)),
    onDemandGzip: gzip(onDemand),
    onDemandCount: onDemand.length,
  };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;

const client = await bundle({ entryPoints: ['src/index.ts'] }, ['@app/source'], 'browser-bundle');
console.log(
  `@app/sse-client browser bundle (src/index.ts, esm, minified, zod excluded): ${kib(client.upFrontMinified)} minified, ${kib(client.upFrontGzip)} gzip (${client.upFrontGzip} bytes; budget ${CLIENT_BUDGET_GZIP_BYTES}); loaded on demand (sharing, catalog check, eventsource transport): ${kib(client.onDemandGzip)} gzip in ${client.onDemandCount} chunks`,
);
if (client.upFrontGzip > CLIENT_BUDGET_GZIP_BYTES) {
  problems.push(
    `is ${client.upFrontGzip} bytes gzipped, over its budget of ${CLIENT_BUDGET_GZIP_BYTES} bytes`,
  );
}
for (const input of client.upFrontInputs.filter((name) => ON_DEMAND_ONLY.test(name))) {
  problems.push(`loads ${input} up front: it belongs to a chunk loaded on demand`);
}

const app = await bundle(
  {
    stdin: {
      contents:
        "export { createClient } from '@app/sse-client'; export { defineEvents } from '@app/sse-protocol';",
      resolveDir: packageRoot,
      loader: 'js',
    },
  },
  [],
  'app-bundle',
);
console.log(
  `an app's createClient + defineEvents (published builds, esm, minified, zod excluded): ${kib(app.upFrontMinified)} minified, ${kib(app.upFrontGzip)} gzip (${app.upFrontGzip} bytes; budget ${APP_BUDGET_GZIP_BYTES}); loaded on demand: ${kib(app.onDemandGzip)} gzip`,
);
if (app.upFrontGzip > APP_BUDGET_GZIP_BYTES) {
  problems.push(
    `of an app (createClient + defineEvents) is ${app.upFrontGzip} bytes gzipped, over its budget of ${APP_BUDGET_GZIP_BYTES} bytes`,
  );
}
if (!app.upFrontInputs.every((input) => /(^|\/)dist\//.test(input) || input === '<stdin>')) {
  problems.push('of an app was not built from the published builds (run the build first)');
}
// zod's JSON Schema generator (~7 KB gzip) is what the fingerprint is built on: only on demand.
if (/\btoJSONSchema\b/.test(app.upFrontText)) {
  problems.push(
    "of an app loads zod's toJSONSchema up front: the catalog's contract code is in the main bundle",
  );
}
if (app.upFrontInputs.some((input) => input.endsWith('/dist/contract.js'))) {
  problems.push("of an app loads the protocol's contract entry point up front");
}
for (const input of client.upFrontInputs.filter((name) => CONTRACT_ONLY.test(name))) {
  problems.push(`loads ${input} up front: contract code belongs to the chunks loaded on demand`);
}

if (problems.length > 0) {
  console.error(problems.map((problem) => `@app/sse-client: the browser bundle ${problem}`).join('\n'));
  process.exit(1);
}
