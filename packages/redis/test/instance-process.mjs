// One instance of the application in a process of its own, for the cross-process suite: it serves
// the stream on a free port, prints `ready <url>`, and publishes `tick` n for each line `publish n`
// read from stdin (answering `published <id>`), and for `stall ms` blocks its event loop that long
// (answering `stalling` before and `stalled` after), as an overloaded instance would. Runs the built packages (turbo builds before tests).
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { defineEvents } from '@app/sse-protocol';
import { createRedisStore } from '@app/sse-redis';
import { createEmitter } from '@app/sse-server';
import { z } from 'zod';

const [redisUrl, stream] = process.argv.slice(2);
const events = defineEvents({ tick: z.object({ n: z.number() }) });
const store = createRedisStore({ redis: redisUrl, stream, onError: () => {} });
const emitter = createEmitter({ events, store, heartbeatMs: 0 });
const server = createServer(emitter.handler());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready http://127.0.0.1:${server.address().port}/events\n`);
});
for await (const line of createInterface({ input: process.stdin })) {
  const [command, value] = line.split(' ');
  if (command === 'publish') {
    const { id } = await emitter.broadcast('tick', { n: Number(value) });
    process.stdout.write(`published ${id}\n`);
  } else if (command === 'stall') {
    process.stdout.write(`stalling ${value}\n`);
    // A busy loop on purpose: nothing else of this process runs meanwhile (the fault being simulated).
    const until = performance.now() + Number(value);
    while (performance.now() < until) {}
    process.stdout.write(`stalled ${value}\n`);
  }
}
await emitter.close();
server.closeAllConnections();
server.close();
