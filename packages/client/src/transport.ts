import type { ProtocolError } from '@app/sse-protocol';
import type { SseClientError } from './errors';
import type { EventSourceConstructor, FetchLike, Resolvable } from './runtime-types';

/** One event as a transport hands it over. */
export interface IncomingEvent {
  /** The event name (`message` when the block had no `event:` field). */
  event: string;
  /** The data lines joined with LF. */
  data: string;
  /** The last event ID set on this connection so far, or `undefined` when no `id:` field came yet. */
  id: string | undefined;
}

/** How a connection ended. */
export type ConnectionEnd =
  /** The stream ended (EOF): reconnect. */
  | { kind: 'ended' }
  /** `204 No Content`: the server has nothing more for this client; stop quietly. */
  | { kind: 'no-content' }
  /** The connection failed: reconnect when `retryable`, after at least `retryAfterMs` when set. */
  | { kind: 'failed'; error: SseClientError; retryable: boolean; retryAfterMs?: number | undefined };

/** Where a transport reports what happens on its connection. After `end`, nothing more comes. */
export interface TransportSink {
  /** The response was accepted: events will follow. */
  open(): void;
  /**
   * Bytes arrived (events, comments, anything): the connection is alive. `bytes` is how many,
   * when the transport sees them (0 for a native `EventSource`, which hands over events only).
   */
  activity(bytes: number): void;
  /** An event was dispatched. */
  event(event: IncomingEvent): void;
  /** The last event ID changed without an event (a block with `id:` and no `data:`). */
  lastEventId(id: string): void;
  /** A `retry:` field set the reconnection time. */
  retry(ms: number): void;
  /** The parser ignored or discarded input. */
  parseError(error: ProtocolError): void;
  /** The connection ended. */
  end(outcome: ConnectionEnd): void;
}

/** What a transport needs to open one connection. */
export interface ConnectRequest {
  url: Resolvable<string | URL>;
  /** The `baseUrl` option (absolute), or `undefined` to use the page's location if any. */
  baseUrl: string | undefined;
  headers: Resolvable<HeadersInit> | undefined;
  method: 'GET' | 'POST';
  /** Resolved again on every attempt, so each reconnection sends a fresh body. */
  body: Resolvable<BodyInit> | undefined;
  credentials: RequestCredentials | undefined;
  fetch: FetchLike | undefined;
  EventSource: EventSourceConstructor | undefined;
  /** The ID to resume from (`''`: none). */
  lastEventId: string;
  /** The parser's bound on one line or event, for transports that parse the stream themselves. */
  maxBufferSize: number;
}

/**
 * Opens one connection and reports to `sink`; returns a function that aborts it, after which
 * the sink hears nothing more.
 */
export type Transport = (request: ConnectRequest, sink: TransportSink) => () => void;
