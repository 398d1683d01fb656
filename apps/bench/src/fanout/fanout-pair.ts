import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type ChildHandle, startChild } from './child-process';
import {
  type LoadCommand,
  type LoadReply,
  type ServerCommand,
  type ServerKind,
  type ServerReply,
  wireProtocolOf,
} from './messages';

type ServerHandle = ChildHandle<ServerCommand, ServerReply>;
type LoadHandle = ChildHandle<LoadCommand, LoadReply>;

/** Node flags and limits for the two processes of a pair. */
export interface PairOptions {
  /** Node flags of both child processes (the TypeScript loader, export conditions). */
  execArgv: readonly string[];
  /** Handshakes in flight at once while connecting. */
  connectConcurrency: number;
  /** Longest wait for any one step, in milliseconds. */
  stepTimeoutMs: number;
}

/** Server memory after a full garbage collection. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
}

/** One publish of `events` ticks and its arrival on every connection (times in µs, one clock). */
export interface FanoutTiming {
  /** When the server started publishing. */
  startedAt: number;
  /** When the last connection had its last tick. */
  completedAt: number;
  /** Publish-to-received latency of every tick on every connection (µs), when asked for. */
  latencies: Float64Array | null;
  /** CPU time the server process used for it (µs), from before the publish to the last arrival. */
  serverCpuMicros: number;
  /** CPU time the load process used to receive it (µs). */
  loadCpuMicros: number;
}

/** A server under test and the load process that holds its connections. */
export interface FanoutPair {
  readonly kind: ServerKind;
  /** Name and version of the server, for the report. */
  readonly label: string;
  /** Opens `count` more connections and waits until the server has registered all it holds. */
  connect(count: number): Promise<void>;
  /** Closes every connection and waits until the server has let go of all of them. */
  disconnect(): Promise<void>;
  /** Server memory after two full collections (the server runs with --expose-gc). */
  memory(): Promise<MemoryReading>;
  /** Publishes `events` ticks back to back and waits until every connection has all of them. */
  fanOut(events: number, latencies: boolean): Promise<FanoutTiming>;
  /** Starts sampling a CPU profile of the server process. */
  startProfile(): Promise<void>;
  /** Stops sampling and writes the server's profile to `path` (a `.cpuprofile` file). */
  stopProfile(path: string): Promise<void>;
  /** Closes the server and ends both processes. */
  stop(): Promise<void>;
}

const SERVER_ENTRY = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const LOAD_ENTRY = fileURLToPath(new URL('./load-process.ts', import.meta.url));

/**
 * Starts a server under test and its own load process, each in a fresh child process, so the
 * server's CPU and memory are its own and the load never shares its event loop.
 *
 * @param kind - which server
 * @param options - flags and limits, see {@link PairOptions}
 * @returns the pair, once the server listens and the load process is ready
 *
 * @example
 * ```ts
 * const pair = await startFanoutPair('raw', options);
 * await pair.connect(1000);
 * const { startedAt, completedAt } = await pair.fanOut(20, false);
 * await pair.stop();
 * ```
 */
export async function startFanoutPair(kind: ServerKind, options: PairOptions): Promise<FanoutPair> {
  const timeout = options.stepTimeoutMs;
  const server: ServerHandle = startChild(SERVER_ENTRY, [kind], [...options.execArgv, '--expose-gc']);
  const load: LoadHandle = startChild(LOAD_ENTRY, [], options.execArgv);

  const ask = <C, R extends { type: string }, T extends R['type']>(
    child: ChildHandle<C, R>,
    command: C,
    type: T,
  ) => {
    const reply = child.next(type, timeout);
    child.send(command);
    return reply;
  };

  const waitForClients = async (expected: number) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const { count } = await ask(server, { type: 'clients' }, 'clients');
      if (count === expected) return;
      if (Date.now() > deadline) {
        throw new Error(`@app/bench: ${kind} holds ${count} connections, expected ${expected}`);
      }
      await sleep(20);
    }
  };

  let port: number;
  let label: string;
  try {
    const [listening] = await Promise.all([server.next('listening', timeout), load.next('ready', timeout)]);
    port = listening.port;
    label = listening.label;
  } catch (error) {
    await Promise.all([server.stop(), load.stop()]);
    throw error;
  }

  return {
    kind,
    label,
    async connect(count) {
      const connected = await ask(
        load,
        {
          type: 'connect',
          port,
          count,
          concurrency: options.connectConcurrency,
          protocol: wireProtocolOf(kind),
        },
        'connected',
      );
      if (connected.failed > 0) {
        throw new Error(
          `@app/bench: ${connected.failed} of ${count} connections to ${kind} failed: ${connected.firstError}`,
        );
      }
      // The load process reports every connection it holds, earlier ones included.
      await waitForClients(connected.count);
    },
    async disconnect() {
      await ask(load, { type: 'disconnect' }, 'disconnected');
      await waitForClients(0);
    },
    async memory() {
      const reading = await ask(server, { type: 'memory' }, 'memory');
      return { rss: reading.rss, heapUsed: reading.heapUsed };
    },
    async fanOut(events, latencies) {
      const armed = await ask(load, { type: 'expect', perConnection: events, latencies }, 'armed');
      const before = await ask(server, { type: 'usage' }, 'usage');
      const received = load.next('received', timeout);
      received.catch(() => {}); // awaited below; a failed publish must not leave it unhandled
      const published = await ask(server, { type: 'publish', count: events }, 'published');
      const arrival = await received;
      const after = await ask(server, { type: 'usage' }, 'usage');
      return {
        startedAt: published.startedAt,
        completedAt: arrival.completedAt,
        latencies: arrival.latencies,
        serverCpuMicros: after.cpuMicros - before.cpuMicros,
        loadCpuMicros: arrival.cpuMicros - armed.cpuMicros,
      };
    },
    async startProfile() {
      await ask(server, { type: 'profile-start' }, 'profiling');
    },
    async stopProfile(path) {
      await ask(server, { type: 'profile-stop', path }, 'profiled');
    },
    async stop() {
      try {
        await ask(load, { type: 'disconnect' }, 'disconnected');
        await ask(server, { type: 'close' }, 'closed');
      } finally {
        await Promise.all([load.stop(), server.stop()]);
      }
    },
  };
}
