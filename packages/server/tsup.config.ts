import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  // Keep `node:buffer`: Deno and edge runtimes resolve built-ins only with the `node:` prefix.
  removeNodeProtocol: false,
});
