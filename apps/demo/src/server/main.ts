import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoCommandLine, readCommandLine } from './cli-options';
import { PUBLIC_DIR } from './demo-app';
import { createDemoCluster } from './demo-cluster';
import { createDemoServer } from './demo-server';
import { onShutdownSignal } from './shutdown-signals';

// The demo's command line:
// `npm run demo -- [--port 3000] [--host 127.0.0.1] [--instances 2] [--redis URL]` at the repository's
// root, or `pnpm --filter @app/demo start [...]` once built.

if (!existsSync(join(PUBLIC_DIR, 'app.js'))) {
  console.error('@app/demo: public/app.js is missing. Build the page first: pnpm --filter @app/demo build');
  process.exit(1);
}

let listenOptions: DemoCommandLine;
try {
  listenOptions = readCommandLine(process.argv.slice(2), process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}

const { instances, redisUrl, port, host } = listenOptions;
const scaleOut = instances > 1 || redisUrl !== undefined;
const demo = await (scaleOut
  ? createDemoCluster({ instances, redisUrl, port, host })
  : createDemoServer({ port, host })
).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    const ports = scaleOut ? `ports ${port} to ${port + instances} are` : `port ${port} is`;
    console.error(`@app/demo: ${ports} in use. Pick another: PORT=3001 npm run demo`);
  } else {
    console.error('@app/demo: could not start:', error);
  }
  process.exit(1);
});

// Loopback and wildcard addresses are reachable as localhost, the name people type.
const shown = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(listenOptions.host)
  ? `http://localhost:${demo.port}`
  : demo.url;
console.log(`\n  Pulse dashboard running at ${shown}\n`);
if ('instances' in demo) {
  const where = redisUrl ? redisUrl : `a local redis-server (${demo.redisUrl})`;
  console.log(`  ${instances} instances sharing one Redis Stream on ${where}, behind a round-robin proxy:`);
  for (const instance of demo.instances) console.log(`    instance ${instance.name}: ${instance.url}`);
  console.log('  "Simulate outage" takes down the instance holding the tab\'s stream; the tab moves on.\n');
}
console.log(`  Open it in two windows as two users, e.g. ${shown}/?user=grace`);
console.log(`  Native EventSource instead of fetch: ${shown}/?transport=eventsource`);
console.log('  Press Ctrl+C to stop; open pages reconnect by themselves when you start it again.\n');

const onSignal = onShutdownSignal({
  close: () => demo.close({ drainMs: 2000 }),
  exit: (code) => process.exit(code),
  log: (line) => console.log(line),
  now: () => performance.now(),
});
process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
