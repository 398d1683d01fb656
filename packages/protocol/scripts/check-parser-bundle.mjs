// Bundles the smallest useful import of the package, `createParser` alone, for browsers the way an
// application's bundler would (esbuild, minified), and fails past its size budget: a check that
// tree-shaking keeps the catalog, its JSON Schema, fingerprint and AsyncAPI code out of an app
// that only parses streams.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Budget for `createParser` alone, minified + gzipped, in bytes: measured at 2,367 bytes (the
 * parser, its option check, field prefixes and error classes), plus a little; 2,417 with
 * `onLastEventId`; 2,427 with an oversized line dropping its event. The goal is 1.5 KB.
 */
const BUDGET_GZIP_BYTES = 2_450;
/** Modules that must never reach a bundle that only imports the parser. */
const FORBIDDEN = [
  'catalog.ts',
  'json-schema.ts',
  'fingerprint.ts',
  'sha256.ts',
  'asyncapi.ts',
  'contract.ts',
];

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const result = await build({
  stdin: {
    contents: "export { createParser } from './src/index.ts';",
    resolveDir: packageRoot,
    loader: 'ts',
  },
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  write: false,
  metafile: true,
  logLevel: 'silent',
  external: ['zod'],
});
const [output] = result.outputFiles;
const gzipped = gzipSync(output.contents, { level: 9 }).byteLength;
const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
  .filter(([, input]) => input.bytesInOutput > 0)
  .map(([name]) => name);
const problems = inputs
  .filter((name) => FORBIDDEN.some((forbidden) => name.endsWith(`/${forbidden}`)))
  .map((name) => `pulls in ${name}`);
console.log(
  `@app/sse-protocol createParser alone (esm, minified): ${output.contents.byteLength} bytes minified, ${gzipped} bytes gzip (budget ${BUDGET_GZIP_BYTES}; goal 1,536)`,
);
if (gzipped > BUDGET_GZIP_BYTES)
  problems.push(`is ${gzipped} bytes gzipped, over its budget of ${BUDGET_GZIP_BYTES} bytes`);
if (problems.length > 0) {
  console.error(problems.map((problem) => `@app/sse-protocol: createParser alone ${problem}`).join('\n'));
  process.exit(1);
}
