// The pinned pnpm, for scripts that run with nothing but Node and npm installed: the one on PATH
// when its version is the one `packageManager` pins, else that version fetched from the npm
// registry through `npm exec` (no `corepack enable` needed).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = packageManager.split('@')[1];
const windows = process.platform === 'win32';

// Runs a command in the repository's root with the terminal's stdio, waits, and returns its exit
// status (1 when a signal ended it).
function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: windows });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

let onPath; // whether the pinned pnpm is on PATH, probed once
function pnpmOnPath() {
  if (onPath === undefined) {
    const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: windows });
    onPath = probe.status === 0 && probe.stdout.trim() === wanted;
  }
  return onPath;
}

/**
 * Runs the pinned pnpm with `args` in the repository's root.
 *
 * @returns its exit status
 */
export function pnpm(args) {
  return pnpmOnPath()
    ? run('pnpm', args)
    : run('npm', ['exec', '--yes', `--package=pnpm@${wanted}`, '--', 'pnpm', ...args]);
}

/**
 * Installs the workspace when it is not installed yet, and always under CI (from the lockfile
 * exactly). Exits with pnpm's status when the install fails.
 */
export function ensureInstalled() {
  const installArgs = ['install', '--prefer-offline'];
  if (process.env.CI) installArgs.push('--frozen-lockfile');
  if (existsSync(join(root, 'node_modules', '.modules.yaml')) && !process.env.CI) return;
  const status = pnpm(installArgs);
  if (status !== 0) process.exit(status);
}
