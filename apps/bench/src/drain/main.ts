// `pnpm --filter @app/bench bench:drain [-- --clients=4000 --drain-ms=8000 --retry-ms=250]`:
// measures how the clients of a draining instance arrive at the next one. Instance A (the emitter)
// holds `clients` streams and is closed with `close({ drainMs })`; each client reconnects to
// instance B `retry-ms` after its stream ended, as an EventSource does; B counts arrivals per second.
// The drain spreads them when the busiest second stays under (clients / drain seconds) x 1.5.
import { createServer, request, type Server } from 'node:http';
import { defineEvents } from '@app/sse-protocol';
import { createEmitter } from '@app/sse-server';
import { z } from 'zod';

function option(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
}

const clients = option('clients', 4000);
const drainMs = option('drain-ms', 8000);
const retryMs = option('retry-ms', 250);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/** Opens one stream and resolves when its response headers arrived; `onEnd` runs when it ends. */
function openStream(port: number, onEnd: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', agent: false }, (res) => {
      res.on('data', () => {});
      res.on('close', onEnd);
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

const events = defineEvents({ tick: z.object({ n: z.number() }) });
const sse = createEmitter({ events, heartbeatMs: 0 });
const a = createServer(sse.handler());
const arrivals: number[] = [];
let drainStarted = 0;
const b = createServer((_req, res) => {
  arrivals.push(performance.now() - drainStarted);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(': ok\n\n');
});
const [portA, portB] = await Promise.all([listen(a), listen(b)]);

const reconnected = new Promise<void>((resolve) => {
  let ended = 0;
  const onEnd = () => {
    setTimeout(() => {
      void openStream(portB, () => {}).then(() => {
        if (++ended === clients) resolve();
      });
    }, retryMs);
  };
  const opening: Promise<void>[] = [];
  for (let i = 0; i < clients; i++) opening.push(openStream(portA, onEnd));
  void Promise.all(opening).then(async () => {
    while (sse.stats().clients < clients) await new Promise((r) => setTimeout(r, 20));
    drainStarted = performance.now();
    await sse.close({ drainMs, retryMs });
  });
});
await reconnected;

const seconds = Math.ceil(Math.max(...arrivals) / 1000);
const perSecond = Array.from(
  { length: seconds },
  (_, s) => arrivals.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length,
);
const bound = (clients / (drainMs / 1000)) * 1.5;
const busiest = Math.max(...perSecond);
console.log(
  `${clients} clients, drainMs ${drainMs}, retry ${retryMs} ms: arrivals at the next instance per second`,
);
console.log(perSecond.map((count, s) => `  ${s}-${s + 1} s: ${count}`).join('\n'));
console.log(
  `busiest second ${busiest}; bound (clients / drain seconds x 1.5) ${bound.toFixed(0)}: ${busiest <= bound ? 'within' : 'OVER'}`,
);
a.closeAllConnections();
b.closeAllConnections();
a.close();
b.close();
process.exitCode = busiest <= bound ? 0 : 1;
