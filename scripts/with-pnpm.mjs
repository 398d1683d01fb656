#!/usr/bin/env node
// Runs a pnpm command with nothing but Node and npm installed: uses the pinned
// pnpm from `packageManager` (fetched from the npm registry through `npm exec`
// when it is not on PATH), installs the workspace when needed, then runs the
// given pnpm arguments. This is what makes `npm run demo` / `npm test` work on a
// fresh clone without `corepack enable`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = packageManager.split('@')[1];

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpmOnPath() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  return probe.status === 0 && probe.stdout.trim() === wanted;
}

const pnpm = pnpmOnPath()
  ? (args) => run('pnpm', args)
  : (args) => run('npm', ['exec', '--yes', `--package=pnpm@${wanted}`, '--', 'pnpm', ...args]);

const installArgs = ['install', '--prefer-offline'];
if (process.env.CI) installArgs.push('--frozen-lockfile');
if (!existsSync(join(root, 'node_modules', '.modules.yaml')) || process.env.CI) {
  const status = pnpm(installArgs);
  if (status !== 0) process.exit(status);
}
process.exit(pnpm(process.argv.slice(2)));
