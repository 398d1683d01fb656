#!/usr/bin/env node
// Runs the unit and integration suites (vitest, every workspace project) under other Node major
// versions than the one running this script: `node scripts/test-on-node.mjs 22 24 [-- vitest args]`.
// Each Node comes from the `node` package of the npm registry (it ships the platform's binary),
// installed once into a cache folder under the OS temp dir; the versions run side by side. Nothing
// is rebuilt: run it after `npm test`, which builds what the suites need. Type tests are left out,
// since they depend on TypeScript, not on the runtime.
import { spawn, spawnSync } from 'node:child_process';
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

/** Checks that the `node` package of `major` runs that Node, and returns its version. */
function versionOf(node, major) {
  const probe = spawnSync(node, ['--version'], { encoding: 'utf8', shell: windows });
  const actual = probe.stdout.trim();
  if (probe.status !== 0 || !actual.startsWith(`v${major}.`)) {
    console.error(`the node@${major} package runs ${actual || 'nothing'}, not Node ${major}`);
    process.exit(1);
  }
  return actual;
}

/**
 * Runs the suites under one Node, its output held until it ends: the runs go side by side (each
 * vitest takes one worker on a two-core machine, and the suites wait on sockets, browsers and
 * timers a good part of the time: two runs together took 475 s where one after the other took
 * 647 s), and each run's report is printed whole.
 */
function runSuites(node, actual) {
  return new Promise((resolve) => {
    const output = [];
    const run = spawn(
      node,
      [
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        join(root, 'scripts', 'vitest.runtimes.config.ts'),
        ...vitestArgs,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: windows },
    );
    run.stdout.on('data', (chunk) => output.push(chunk));
    run.stderr.on('data', (chunk) => output.push(chunk));
    run.on('error', (error) => output.push(Buffer.from(`${error.stack ?? error}\n`)));
    run.on('close', (status) => {
      console.log(`--- vitest under Node ${actual}`);
      process.stdout.write(Buffer.concat(output));
      resolve(status === 0 ? undefined : actual);
    });
  });
}

const runs = versions.map((major) => {
  const node = nodeBinary(major);
  const actual = versionOf(node, major);
  console.log(`--- running the suites under Node ${actual}`);
  return runSuites(node, actual);
});
const failed = (await Promise.all(runs)).filter((actual) => actual !== undefined);
if (failed.length > 0) {
  console.error(`--- the suites failed under Node ${failed.join(', ')}`);
  process.exit(1);
}
