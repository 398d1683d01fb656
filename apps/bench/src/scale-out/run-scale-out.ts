// The scale-out benchmark: the same events to the same connections with one instance on the
// in-memory store, then one, two and three instances on one Redis stream (connections split
// evenly between them), and the cost of a resume of 1,000 missed events from each store. Each
// configuration runs `rounds` times, interleaved; the report gives medians and the spread.
//
// Everything runs in this process (the instances, their HTTP servers, the reading clients) beside
// one redis-server: on a 2-core machine the figures show what Redis adds on the publish and
// delivery path, not the parallel capacity of several machines.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser, defineEvents } from '@app/sse-protocol';
import { createRedisStore } from '@app/sse-redis';
import { createEmitter, createMemoryStore, type Emitter, type ReplayStore } from '@app/sse-server';
import { z } from 'zod';
import { median, percentile } from '../statistics';

const events = defineEvents({ tick: z.object({ n: z.number(), at: z.number(), pad: z.string() }) });
type Bench = Emitter<typeof events>;

/** One configuration's figures. */
export interface ScaleOutFigures {
  readonly label: string;
  readonly deliveriesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly resume1000Ms: number;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(): Promise<{ url: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function serve(emitter: Bench): Promise<{ url: string; server: Server }> {
  const server = createServer(emitter.handler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/events`, server };
}

/** Opens `count` streams on `url`; `onTick(at)` runs for every tick received. */
async function connect(url: string, count: number, onTick: (at: number) => void, lastEventId?: string) {
  const closers: (() => void)[] = [];
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = request(
            url,
            { headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {} },
            (res) => {
              res.setEncoding('utf8');
              const parser = createParser({
                onEvent(event) {
                  if (event.event === 'sse:hello') resolve();
                  else if (event.event === 'tick') onTick(JSON.parse(event.data).at as number);
                },
              });
              res.on('data', (chunk: string) => parser.feed(chunk));
            },
          );
          req.on('error', reject);
          req.end();
          closers.push(() => req.destroy());
        }),
    ),
  );
  return () => {
    for (const close of closers) close();
  };
}

async function runOnce(
  label: string,
  stores: () => ReplayStore[],
  connections: number,
  eventCount: number,
  burst: number,
): Promise<ScaleOutFigures> {
  const emitters = stores().map((store) => createEmitter({ events, store, heartbeatMs: 0 }));
  const served = await Promise.all(emitters.map(serve));
  const latencies: number[] = [];
  let delivered = 0;
  const expected = connections * eventCount;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const onTick = (at: number) => {
    latencies.push(performance.now() - at);
    if (++delivered === expected) done();
  };
  const closers = await Promise.all(
    served.map((instance, index) =>
      connect(
        instance.url,
        Math.floor(connections / served.length) + (index < connections % served.length ? 1 : 0),
        onTick,
      ),
    ),
  );
  const pad = 'x'.repeat(900); // about 1 KB events
  const started = performance.now();
  // Bursts of `burst` publishes in flight together, each burst awaited, from the instances in turn.
  for (let n = 0; n < eventCount; n += burst) {
    await Promise.all(
      Array.from({ length: Math.min(burst, eventCount - n) }, (_, k) =>
        (emitters[(n + k) % emitters.length] as Bench).broadcast('tick', {
          n: n + k,
          at: performance.now(),
          pad,
        }),
      ),
    );
  }
  await all;
  const seconds = (performance.now() - started) / 1000;
  for (const close of closers) close();
  // A resume of 1,000 missed events, from the first instance.
  const head = await (emitters[0] as Bench).head();
  for (let n = 0; n < 1000; n += 50)
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        (emitters[0] as Bench).broadcast('tick', { n: n + k, at: 0, pad }),
      ),
    );
  let replayed = 0;
  let finished: () => void = () => {};
  const resumed = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const resumeStart = performance.now();
  const closeResume = await connect(
    (served[0] as { url: string }).url,
    1,
    () => {
      if (++replayed === 1000) finished();
    },
    head,
  );
  await resumed;
  const resume1000Ms = performance.now() - resumeStart;
  closeResume();
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
}) {
  const redis = await startRedis();
  let stream = 0;
  const configurations: [string, () => ReplayStore[]][] = [
    ['1 instance, memory', () => [createMemoryStore()]],
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
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const [label, stores] of configurations) {
        const figures = await runOnce(label, stores, options.connections, options.events, options.burst);
        rounds.set(label, [...(rounds.get(label) ?? []), figures]);
      }
    }
  } finally {
    redis.stop();
  }
  return [...rounds].map(([label, all]) => ({
    label,
    all,
    deliveriesPerSecond: median(all.map((f) => f.deliveriesPerSecond)),
    p50Ms: median(all.map((f) => f.p50Ms)),
    p99Ms: median(all.map((f) => f.p99Ms)),
    resume1000Ms: median(all.map((f) => f.resume1000Ms)),
  }));
}
