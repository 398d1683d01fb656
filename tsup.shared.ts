import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package shares: `src/index.ts` to ESM and CJS, each with its own
 * type declarations (`.d.ts` / `.d.cts`), source maps, for ES2022 runtimes.
 *
 * @param options - what a package adds or overrides (its `platform`, for one)
 */
export function libraryBuild(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...options,
  });
}
