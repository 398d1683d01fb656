// `pnpm --filter @app/bench bench:drain [-- --clients=10000 --drain-ms=10000 --retry-ms=250]`:
// measures how the clients of a draining instance arrive at the next one. Instance A (the emitter,
// in this process) holds `clients` streams and is closed with `close({ drainMs })`; each client (in
// a process of its own) reconnects to instance B (a third process) `retry-ms` after its stream
// ended, as an EventSource does; B records the arrivals. The drain spreads them when the busiest
// second stays under (clients / drain seconds) x 1.5.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { defineEvents } from '@app/sse-protocol';
import { createEmitter } from '@app/sse-server';
import { z } from 'zod';
import { type ChildHandle, startChild } from '../fanout/child-process';
import type { ClientsCommand, ClientsReply, NextCommand, NextReply } from './drain-messages';

function option(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
}

const clients = option('clients', 10_000);
const drainMs = option('drain-ms', 10_000);
const retryMs = option('retry-ms', 250);
const STEP_MS = 120_000;
const execArgv = process.execArgv;

const events = defineEvents({ tick: z.object({ n: z.number() }) });
const sse = createEmitter({ events, heartbeatMs: 0, meter: null });
const a = createServer(sse.handler());
const portA = await new Promise<number>((resolve) =>
  a.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () =>
    resolve((a.address() as { port: number }).port),
  ),
);
const next: ChildHandle<NextCommand, NextReply> = startChild(
  fileURLToPath(new URL('./next-instance.ts', import.meta.url)),
  [],
  execArgv,
);
const load: ChildHandle<ClientsCommand, ClientsReply> = startChild(
  fileURLToPath(new URL('./clients-process.ts', import.meta.url)),
  [],
  execArgv,
);
const { port: portB } = await next.next('listening', STEP_MS);
load.send({ type: 'open', portA, portB, count: clients, retryMs });
await load.next('opened', STEP_MS);
while (sse.stats().clients < clients) await new Promise((resolve) => setTimeout(resolve, 20));
next.send({ type: 'start' });
const reconnected = load.next('reconnected', STEP_MS + drainMs);
await sse.close({ drainMs, retryMs });
await reconnected;
next.send({ type: 'report' });
const { arrivals } = await next.next('arrivals', STEP_MS);
await Promise.all([load.stop(), next.stop()]);
a.close();

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
process.exitCode = busiest <= bound ? 0 : 1;
