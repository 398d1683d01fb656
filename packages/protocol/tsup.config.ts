import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default [
  // Web-standard APIs only: the same build runs in browsers, Node, Deno, Bun and workers.
  libraryBuild({ platform: 'neutral' }),
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
