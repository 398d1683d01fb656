import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default [
  // Web-standard APIs only: the same build runs in browsers, Node, Deno, Bun and workers.
  // Two entry points: the runtime (`.`) and the catalog as a contract (`./contract`), which only
  // servers and tooling import; code both use goes to shared chunks.
  libraryBuild({
    platform: 'neutral',
    entry: { index: 'src/index.ts', contract: 'src/contract-index.ts' },
    // For CommonJS too, so that both entry points share one copy of the error classes.
    splitting: true,
  }),
  // The `sse-catalog` command (Node only), in its own folder so neither build cleans the other's.
  defineConfig({
    entry: { 'sse-catalog': 'src/cli/main.ts' },
    outDir: 'bin',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    clean: true,
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  }),
];
