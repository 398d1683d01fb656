/**
 * The servers under test, in report order: ours under Express 5 (the README's code), on plain
 * node:http and through the fetch adapter (Hono), better-sse under Express, and the raw writer.
 */
export const SERVER_KINDS = ['ours-express', 'ours-node', 'ours-fetch', 'better-sse', 'raw'] as const;

/** The kinds that run `@app/sse-server`. */
export const OURS_KINDS = ['ours-express', 'ours-node', 'ours-fetch'] as const;

/** One of {@link SERVER_KINDS}. */
export type ServerKind = (typeof SERVER_KINDS)[number];

/** Orchestrator to server process. */
export type ServerCommand =
  /** Publish `count` tick events back to back, each stamped when it is published. */
  | { type: 'publish'; count: number }
  /** How many connections the server currently holds. */
  | { type: 'clients' }
  /** CPU time the server process has used so far. */
  | { type: 'usage' }
  /** Collect garbage, then report memory. */
  | { type: 'memory' }
  /** Start sampling a CPU profile of the server process. */
  | { type: 'profile-start' }
  /** Stop sampling and write the profile to `path`. */
  | { type: 'profile-stop'; path: string }
  /** Close every connection and the listener. */
  | { type: 'close' };

/** Server process to orchestrator. */
export type ServerReply =
  | { type: 'listening'; port: number; label: string }
  | { type: 'published'; startedAt: number; finishedAt: number }
  | { type: 'clients'; count: number }
  /** User + system CPU time of the process since it started, in µs. */
  | { type: 'usage'; cpuMicros: number }
  | { type: 'memory'; rss: number; heapUsed: number; external: number }
  | { type: 'profiling' }
  | { type: 'profiled'; path: string }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

/** Orchestrator to load process. */
export type LoadCommand =
  /** Open `count` connections to `127.0.0.1:port`, at most `concurrency` handshakes at a time. */
  | { type: 'connect'; port: number; count: number; concurrency: number }
  /** Wait for `perConnection` more ticks on every connection; record every tick's latency when asked. */
  | { type: 'expect'; perConnection: number; latencies: boolean }
  /** Close every connection. */
  | { type: 'disconnect' };

/** Load process to orchestrator. */
export type LoadReply =
  | { type: 'ready' }
  | { type: 'connected'; count: number; failed: number; firstError: string | null }
  /** Ready for the publish; `cpuMicros` is the load process's CPU time so far. */
  | { type: 'armed'; cpuMicros: number }
  /**
   * Every connection got its ticks; `latencies` (µs, one per tick per connection, by connection) when
   * they were asked for;
   * `cpuMicros` is the load process's CPU time so far.
   */
  | { type: 'received'; completedAt: number; latencies: Float64Array | null; cpuMicros: number }
  | { type: 'disconnected' }
  | { type: 'failed'; message: string };
