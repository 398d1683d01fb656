/**
 * The servers under test, in report order: ours under Express 5 (the README's code), on plain
 * node:http, through the fetch adapter (Hono), on node:http2 (h2c) through the compatibility API
 * and through its `stream` event, better-sse under Express, and the raw writers: over HTTP/1.1,
 * the same writer mounted in Express 5 (what Express itself costs a stream), and over HTTP/2.
 */
export const SERVER_KINDS = [
  'ours-express',
  'ours-node',
  'ours-fetch',
  'ours-http2',
  'ours-http2-stream',
  'better-sse',
  'raw',
  'raw-express',
  'raw-http2',
] as const;

/** The kinds that run `@app/sse-server`. */
export const OURS_KINDS = [
  'ours-express',
  'ours-node',
  'ours-fetch',
  'ours-http2',
  'ours-http2-stream',
] as const;

/** One of {@link SERVER_KINDS}. */
export type ServerKind = (typeof SERVER_KINDS)[number];

/** The HTTP version a server speaks: the load process opens its streams with it. */
export type WireProtocol = 'http1' | 'http2';

/**
 * The HTTP version of a server under test.
 *
 * @param kind - the server
 * @returns `http2` for the node:http2 servers, else `http1`
 */
export function wireProtocolOf(kind: ServerKind): WireProtocol {
  return kind === 'ours-http2' || kind === 'ours-http2-stream' || kind === 'raw-http2' ? 'http2' : 'http1';
}

/**
 * The raw writer a server is compared with: the one speaking the same HTTP version.
 *
 * @param kind - the server
 */
export function rawBaselineOf(kind: ServerKind): 'raw' | 'raw-http2' {
  return wireProtocolOf(kind) === 'http2' ? 'raw-http2' : 'raw';
}

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
  /**
   * Open `count` streams to `127.0.0.1:port`, at most `concurrency` handshakes at a time: one TCP
   * connection each over HTTP/1.1, or multiplexed on HTTP/2 sessions as a browser would.
   */
  | { type: 'connect'; port: number; count: number; concurrency: number; protocol: WireProtocol }
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
