// The scale-out benchmark: the same events to the same connections with one instance on the
// in-memory store, then one, two and three instances on one Redis stream (connections split
// evenly between them), and the cost of a resume of 1,000 missed events from each store. Each
// configuration runs `rounds` times, interleaved; the report gives medians and the spread.
//
// The instances and their HTTP servers run in this process, the reading clients in a child process
// (the fan-out benchmark's load process: raw sockets counting marked ticks, far lighter than any
// server), beside one redis-server. On a 2-core machine the figures show what Redis adds on the
// publish and delivery path, not the parallel capacity of several machines.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createParser, defineEvents } from '@app/sse-protocol';
import { createRedisStore } from '@app/sse-redis';
import { createEmitter, createMemoryStore, type Emitter, type ReplayStore } from '@app/sse-server';
import { startRedisServer } from '@app/test-utils/redis-server';
import { z } from 'zod';
import { type ChildHandle, startChild } from '../fanout/child-process';
import { nowMicros } from '../fanout/clock';
import type { LoadCommand, LoadReply } from '../fanout/messages';
import { TICK_EVENT, tickPayload } from '../fanout/payload';
import { median, percentile } from '../statistics';

type LoadHandle = ChildHandle<LoadCommand, LoadReply>;
const LOAD_ENTRY = fileURLToPath(new URL('../fanout/load-process.ts', import.meta.url));

/** Events of the paced phase, and the time between two. */
const PACED_EVENTS = 100;
const PACE_MS = 10;

const events = defineEvents({
  [TICK_EVENT]: z.object({ '^': z.number().int(), seq: z.number().int(), pad: z.string() }),
});
type Bench = Emitter<typeof events>;

/** One configuration's figures. */
export interface ScaleOutFigures {
  readonly label: string;
  readonly deliveriesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly resume1000Ms: number;
  /** CPU time of this process (every instance) per delivery in the burst phase, microseconds. */
  readonly cpuPerDeliveryUs: number;
  /** CPU time of redis-server during the burst phase, as a share of one core. */
  readonly redisCpuShare: number;
}

/** CPU time (user + system) a process has used, in microseconds, from /proc (Linux). */
function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

async function serve(emitter: Bench): Promise<{ url: string; port: number; server: Server }> {
  const server = createServer(emitter.handler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/events`, port, server };
}

/** Opens one stream from `lastEventId` and resolves once `count` ticks arrived. */
function resume(url: string, lastEventId: string, count: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let ticks = 0;
    const req = request(url, { headers: { 'Last-Event-ID': lastEventId } }, (res) => {
      res.setEncoding('utf8');
      const parser = createParser({
        onEvent(event) {
          if (event.event === 'sse:reset') {
            req.destroy();
            reject(new Error(`@app/bench: the resume was answered with sse:reset (${event.data})`));
          } else if (event.event === TICK_EVENT && ++ticks === count) {
            req.destroy();
            resolve();
          }
        },
      });
      res.on('data', (chunk: string) => parser.feed(chunk));
    });
    req.on('error', reject);
    req.end();
  });
}

const STEP_TIMEOUT_MS = 120_000;

async function runOnce(
  label: string,
  stores: () => ReplayStore[],
  redisPid: number | undefined,
  load: LoadHandle,
  connections: number,
  eventCount: number,
  burst: number,
): Promise<ScaleOutFigures> {
  const emitters = stores().map((store) => createEmitter({ events, store, heartbeatMs: 0 }));
  const served = await Promise.all(emitters.map(serve));
  const share = Math.floor(connections / served.length);
  for (const [index, instance] of served.entries()) {
    const count = share + (index < connections % served.length ? 1 : 0);
    load.send({ type: 'connect', port: instance.port, count, concurrency: 256, protocol: 'http1' });
    const connected = await load.next('connected', STEP_TIMEOUT_MS);
    if (connected.failed > 0)
      throw new Error(`@app/bench: ${connected.failed} connections failed: ${connected.firstError}`);
  }
  let seq = 0;
  const publish = (n: number) =>
    (emitters[n % emitters.length] as Bench).broadcast(TICK_EVENT, tickPayload(++seq));

  // Burst phase (deliveries/s): bursts of `burst` publishes in flight together, from the instances
  // in turn, each burst awaited and started from a turn of its own, as events that arrive from I/O
  // are. Without the turn, an in-memory store (whose publishes resolve at once) would run every
  // burst in one turn and write all of them to each socket at once, a pattern no application has.
  load.send({ type: 'expect', perConnection: eventCount, latencies: false });
  await load.next('armed', STEP_TIMEOUT_MS);
  const burstReceived = load.next('received', STEP_TIMEOUT_MS);
  const cpuBefore = process.cpuUsage();
  const redisBefore = processCpuMicros(redisPid);
  const started = nowMicros();
  for (let n = 0; n < eventCount; n += burst) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.all(Array.from({ length: Math.min(burst, eventCount - n) }, (_, k) => publish(n + k)));
  }
  const { completedAt } = await burstReceived;
  const seconds = (completedAt - started) / 1_000_000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpu = processCpuMicros(redisPid) - redisBefore;

  // Paced phase (latency): one event every PACE_MS, below saturation, so the figures are the
  // publish-to-delivery path (a Redis round trip or two against none) and not a queue's length.
  load.send({ type: 'expect', perConnection: PACED_EVENTS, latencies: true });
  await load.next('armed', STEP_TIMEOUT_MS);
  const pacedReceived = load.next('received', STEP_TIMEOUT_MS);
  for (let n = 0; n < PACED_EVENTS; n++) {
    void publish(n);
    await new Promise<void>((resolve) => setTimeout(resolve, PACE_MS));
  }
  const latencies = [...((await pacedReceived).latencies ?? [])].map((micros) => micros / 1000);
  load.send({ type: 'disconnect' });
  await load.next('disconnected', STEP_TIMEOUT_MS);
  const expected = connections * eventCount;
  // A resume of 1,000 missed events, from the first instance.
  const head = await (emitters[0] as Bench).head();
  for (let n = 0; n < 1000; n += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => publish(n + k)));
  const resumeStart = performance.now();
  await resume((served[0] as { url: string }).url, head, 1000);
  const resume1000Ms = performance.now() - resumeStart;
  for (const emitter of emitters) await emitter.close();
  for (const { server } of served) {
    server.closeAllConnections();
    server.close();
  }
  return {
    label,
    deliveriesPerSecond: expected / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    resume1000Ms,
    cpuPerDeliveryUs: (cpu.user + cpu.system) / expected,
    redisCpuShare: redisCpu / 1_000_000 / seconds,
  };
}

/**
 * Runs the scale-out benchmark.
 *
 * @param options - connections, events per round, rounds
 * @returns per configuration, the median figures of the rounds and each round's figures
 */
export async function runScaleOutBench(options: {
  connections: number;
  events: number;
  rounds: number;
  burst: number;
  /** Node flags of the load process (the TypeScript loader). */
  execArgv: readonly string[];
}) {
  const redis = await startRedisServer();
  let stream = 0;
  const configurations: [string, () => ReplayStore[]][] = [
    // Room for the resume's 1,000 events of ~1 KB beside the rest (the default keeps 1 MiB).
    ['1 instance, memory', () => [createMemoryStore({ maxEvents: 10_000, maxBytes: 64 * 1024 * 1024 })]],
    ...[1, 2, 3].map((count): [string, () => ReplayStore[]] => [
      `${count} instance${count > 1 ? 's' : ''}, Redis`,
      () => {
        const key = `bench:${++stream}`;
        return Array.from({ length: count }, () =>
          createRedisStore({ redis: redis.url, stream: key, maxLen: 10_000 }),
        );
      },
    ]),
  ];
  const rounds = new Map<string, ScaleOutFigures[]>();
  const load: LoadHandle = startChild(LOAD_ENTRY, [], options.execArgv);
  try {
    await load.next('ready', STEP_TIMEOUT_MS);
    for (let round = 0; round < options.rounds; round++) {
      for (const [label, stores] of configurations) {
        const figures = await runOnce(
          label,
          stores,
          label.includes('Redis') ? redis.pid : undefined,
          load,
          options.connections,
          options.events,
          options.burst,
        );
        rounds.set(label, [...(rounds.get(label) ?? []), figures]);
      }
    }
  } finally {
    await load.stop();
    await redis.remove();
  }
  return [...rounds].map(([label, all]) => ({
    label,
    all,
    deliveriesPerSecond: median(all.map((f) => f.deliveriesPerSecond)),
    p50Ms: median(all.map((f) => f.p50Ms)),
    p99Ms: median(all.map((f) => f.p99Ms)),
    resume1000Ms: median(all.map((f) => f.resume1000Ms)),
    cpuPerDeliveryUs: median(all.map((f) => f.cpuPerDeliveryUs)),
    redisCpuShare: median(all.map((f) => f.redisCpuShare)),
  }));
}
