#!/usr/bin/env node
// `npm run demo [-- --port 3000 --instances 2 ...]` and `npm run example`: installs the workspace
// when needed, builds what the app needs, then runs the app's server as this script's child.
//
// The server is a child of this script, not a pnpm script behind `sh -c`: on Ctrl-C it shuts down
// and exits 0, and nothing between it and the terminal reports the interrupt as a failed command
// (pnpm does, for a script it ran that a signal reached).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, pnpm, root } from './pnpm.mjs';

/** Each app: what turbo builds first, the app's folder, and its server's entry (run with tsx). */
const APPS = {
  demo: { build: '@app/demo...', dir: 'apps/demo', entry: 'src/server/main.ts' },
  example: { build: '@app/react-example^...', dir: 'apps/react-example', entry: 'src/server/dev.ts' },
};

const [name, ...args] = process.argv.slice(2);
const app = APPS[name];
if (app === undefined) {
  console.error(`usage: node scripts/run-app.mjs ${Object.keys(APPS).join('|')} [-- app options]`);
  process.exit(2);
}

ensureInstalled();
const built = pnpm(['exec', 'turbo', 'run', 'build', `--filter=${app.build}`, '--output-logs=errors-only']);
if (built !== 0) process.exit(built);

const server = spawn(process.execPath, ['--import', 'tsx', app.entry, ...args], {
  cwd: join(root, app.dir),
  stdio: 'inherit',
});
// Ctrl-C reaches the server from the terminal; a signal sent to this process alone (by npm, which
// passes it on, or a process manager) is passed on too, so the server may get one press twice and
// takes both as one. This process waits for the server's own exit.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
// A server ended by a signal exits as a shell reports it: 128 + the signal's number.
server.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
