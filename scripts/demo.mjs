#!/usr/bin/env node
// `npm run demo [-- --port 3000 --instances 2 ...]`: installs the workspace when needed, builds
// the demo and what it depends on, then runs the demo server itself, in this process's place.
//
// The server is this script's own child, not a pnpm script behind `sh -c`: on Ctrl-C it drains
// its streams and exits 0, and nothing between it and the terminal reports the interrupt as a
// failed command (pnpm does, for a script it ran that a signal reached).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, pnpm, root } from './pnpm.mjs';

ensureInstalled();
const built = pnpm(['exec', 'turbo', 'run', 'build', '--filter=@app/demo...', '--output-logs=errors-only']);
if (built !== 0) process.exit(built);

const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...process.argv.slice(2)], {
  cwd: join(root, 'apps', 'demo'),
  stdio: 'inherit',
});
// Ctrl-C reaches the server from the terminal; a signal sent to this process alone (by npm, which
// passes it on, or a process manager) is passed on too. The server takes the same press arriving
// by both ways as one (see its main.ts). This process waits for the server's own exit.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
// A server ended by a signal exits as a shell reports it: 128 + the signal's number.
server.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
