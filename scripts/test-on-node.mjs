#!/usr/bin/env node
// Runs the unit and integration suites (vitest, every workspace project) under other Node major
// versions than the one running this script: `node scripts/test-on-node.mjs 22 24 [-- vitest args]`.
// Each Node comes from the `node` package of the npm registry (it ships the platform's binary),
// installed once into a cache folder under the OS temp dir. Nothing is rebuilt: run it after
// `npm test`, which builds what the suites need. Type tests are left out, since they depend on
// TypeScript, not on the runtime.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dashes = process.argv.indexOf('--');
const versions = (dashes === -1 ? process.argv.slice(2) : process.argv.slice(2, dashes)).filter(Boolean);
const vitestArgs = dashes === -1 ? [] : process.argv.slice(dashes + 1);
if (versions.length === 0 || versions.some((version) => !/^\d+$/.test(version))) {
  console.error('usage: node scripts/test-on-node.mjs <major>... [-- <vitest arguments>]');
  process.exit(2);
}

const windows = process.platform === 'win32';

/** Installs `node@<major>` from the npm registry once and returns the path of its binary. */
function nodeBinary(major) {
  const prefix = join(tmpdir(), `typed-sse-node-${major}`);
  const binary = join(prefix, 'node_modules', '.bin', windows ? 'node.cmd' : 'node');
  if (!existsSync(binary)) {
    console.log(`--- installing node@${major} from the npm registry into ${prefix}`);
    const install = spawnSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        `node@${major}`,
      ],
      { stdio: 'inherit', shell: windows },
    );
    if (install.status !== 0 || !existsSync(binary)) {
      console.error(`could not install node@${major} from the npm registry`);
      process.exit(install.status || 1);
    }
  }
  return binary;
}

const failed = [];
for (const major of versions) {
  const node = nodeBinary(major);
  const probe = spawnSync(node, ['--version'], { encoding: 'utf8', shell: windows });
  const actual = probe.stdout.trim();
  if (probe.status !== 0 || !actual.startsWith(`v${major}.`)) {
    console.error(`the node@${major} package runs ${actual || 'nothing'}, not Node ${major}`);
    process.exit(1);
  }
  console.log(`--- vitest under Node ${actual}`);
  const run = spawnSync(
    node,
    [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--config',
      join(root, 'scripts', 'vitest.runtimes.config.ts'),
      ...vitestArgs,
    ],
    { cwd: root, stdio: 'inherit', shell: windows },
  );
  if (run.status !== 0) failed.push(actual);
}
if (failed.length > 0) {
  console.error(`--- the suites failed under Node ${failed.join(', ')}`);
  process.exit(1);
}
