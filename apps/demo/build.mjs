// Bundles the dashboard page (src/page/main.ts and everything it imports, the workspace packages
// included) into public/app.js for the browser. Workspace packages are read from their TypeScript
// sources through the `@app/source` export condition, so the bundle never depends on a stale dist.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/page/main.ts'],
  outfile: 'public/app.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  conditions: ['@app/source'],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const bytes = Object.values(result.metafile.outputs).find((output) => output.entryPoint)?.bytes ?? 0;
const gzipped = gzipSync(readFileSync(new URL('public/app.js', import.meta.url))).byteLength;
const kib = (count) => `${(count / 1024).toFixed(1)} KiB`;
console.log(`@app/demo: bundled public/app.js (${kib(bytes)}, ${kib(gzipped)} gzipped)`);
