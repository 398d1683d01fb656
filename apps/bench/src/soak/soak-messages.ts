/** What the soak sends its server process. */
export type SoakCommand = { type: 'sample' } | { type: 'stop' };

/** One sample of the server process. */
export interface ServerSample {
  /** Resident set size after two full collections, bytes. */
  rss: number;
  /** Heap in use after two full collections, bytes. */
  heapUsed: number;
  /** 99th percentile of the event loop delay since the previous sample, milliseconds. */
  loopP99Ms: number;
  /** Open streams. */
  clients: number;
  /** Events published so far. */
  published: number;
  /** Streams dropped for reading too slowly, so far. */
  slowDrops: number;
  /** `sse:reset` sent so far. */
  resets: number;
  /** Errors the emitter reported to `onError` so far. */
  errors: number;
}

/** What the server process answers. */
export type SoakReply =
  | { type: 'ready'; port: number }
  | ({ type: 'sample' } & ServerSample)
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
