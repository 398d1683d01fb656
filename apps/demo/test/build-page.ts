import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Bundles the page before the suites run, so the browser tests always drive the current sources
 * (the same `node build.mjs` that `pnpm build` runs).
 */
export default async function buildPage(): Promise<void> {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  await promisify(execFile)(process.execPath, ['build.mjs'], { cwd });
}
