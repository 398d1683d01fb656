import type { Adapter, RefusalReason } from './telemetry';

/** An answer that refuses a stream: sent instead of it, before any stream byte. */
export interface Refusal {
  /** The HTTP status (400, 401, 403, 503, ...). */
  readonly status: number;
  /** Response headers (`Content-Type` included). */
  readonly headers: Readonly<Record<string, string>>;
  /** The plain-text body. */
  readonly body: string;
  /** Why, for the metrics. */
  readonly reason: RefusalReason;
}

/** What a transport reports once its stream is open. */
export interface TransportEvents {
  /** The response accepted everything written so far: writing may go on. */
  drain(): void;
  /** The stream ended (the client went away, or it was ended or destroyed). Called once. */
  close(): void;
}

/**
 * What the emitter's core needs from one HTTP response; each adapter (node:http, fetch) implements
 * it over its own response type, so the core only deals in bytes and web-standard values.
 */
export interface StreamTransport {
  /** The adapter that made it (a metrics label). */
  readonly adapter: Adapter;
  /** Whether the client went away before the stream opened (checked after each async step). */
  readonly aborted: boolean;
  /** Answers with a refusal; nothing else is sent afterwards. */
  refuse(refusal: Refusal): void;
  /** Answers a `HEAD` request: status 200, the stream's `headers`, no body; nothing else follows. */
  head(headers: Readonly<Record<string, string>>): void;
  /**
   * Sets status 200 and `headers`, then reports to `events`. The caller writes the first bytes
   * right after, in the same tick: they carry the headers out with them, in one packet.
   */
  open(headers: Readonly<Record<string, string>>, events: TransportEvents): void;
  /**
   * Writes bytes (the same `Uint8Array` may be written to many transports: never modify it).
   * Returns `false` when the response's buffer is full: wait for `drain` before writing more.
   */
  write(chunk: Uint8Array): boolean;
  /** Bytes accepted by `write` and not yet handed to the operating system. */
  bufferedBytes(): number;
  /**
   * Ends the stream after what was written.
   *
   * @param shuttingDown - the emitter is closing: where the adapter can, the connection ends too
   * (HTTP/1.1 keep-alive), so that the client's reconnection opens a new one, which a load balancer
   * can send to another instance, rather than coming back to this one for a 503
   */
  end(shuttingDown?: boolean): void;
  /** Drops the stream at once, discarding unsent bytes. */
  destroy(): void;
}
