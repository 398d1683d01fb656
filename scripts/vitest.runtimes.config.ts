// The workspace's vitest projects without their type tests, for `scripts/test-on-node.mjs`: type
// tests depend on TypeScript, not on the Node version, and already ran in `npm test`.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projectDirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(root, group, name)),
);

export default defineConfig({
  test: {
    projects: projectDirs
      .filter((dir) => existsSync(join(dir, 'vitest.config.ts')))
      .map((dir) => ({
        extends: join(dir, 'vitest.config.ts'),
        root: dir,
        test: { typecheck: { enabled: false } },
      })),
  },
});
