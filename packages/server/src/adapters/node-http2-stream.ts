import { LAST_EVENT_ID_HEADER } from '@app/sse-protocol';
import type { EmitterCore } from '../emitter-core';
import { lastEventIdFrom } from '../last-event-id';
import type { HandlerOptions } from '../options';
import { answerFailure, serveStream } from '../serve';
import type { Refusal, StreamTransport, TransportEvents } from '../transport';
import type { NodeRequestHeaders } from './node-http';

/**
 * A `node:http2` server stream, declared by the members the handler uses, so the package's types
 * never import `node:http2` (`ServerHttp2Stream` is one).
 */
export interface Http2ServerStream {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableLength: number;
  readonly destroyed: boolean;
  // Only the presence of these methods is declared: the handler works on them through its own view.
  respond(...args: never[]): unknown;
  write(...args: never[]): unknown;
  end(...args: never[]): unknown;
  destroy(...args: never[]): unknown;
  resume(): unknown;
  on(...args: never[]): unknown;
  once(...args: never[]): unknown;
}

/**
 * What `http2StreamHandler()` hands to `authorize`, `channels` and the hooks for one stream: the
 * stream itself, and its request headers with the method and path read from them, so that a hook
 * reads `req.headers.authorization` as it would from an `IncomingMessage`.
 *
 * @typeParam Stream - the stream type (`ServerHttp2Stream` when the handler is typed with it)
 *
 * @example
 * ```ts
 * const authorize = (req: Http2StreamRequest) => verify(req.headers.authorization);
 * ```
 */
export interface Http2StreamRequest<Stream extends Http2ServerStream = Http2ServerStream> {
  /** The server stream. */
  readonly stream: Stream;
  /** The request headers, pseudo-headers (`:path`, `:method`, ...) included, lowercase names. */
  readonly headers: NodeRequestHeaders;
  /** `:method`. */
  readonly method: string;
  /** `:path`: the request target, path and query. */
  readonly url: string;
}

/**
 * The function `http2StreamHandler()` returns: a listener for a `node:http2` server's `stream`
 * event (`server.on('stream', handler)`). It never throws; refusals are answered on the stream.
 *
 * @example
 * ```ts
 * const events: Http2StreamHandler = sse.http2StreamHandler();
 * server.on('stream', (stream, headers) => (headers[':path'] === '/events' ? events(stream, headers) : notFound(stream)));
 * ```
 */
export type Http2StreamHandler<Stream extends Http2ServerStream = Http2ServerStream> = (
  stream: Stream,
  headers: NodeRequestHeaders,
) => void;

/** The members of a server stream the transport uses. */
interface WritableStream {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableLength: number;
  readonly destroyed: boolean;
  respond(headers: Readonly<Record<string, string | number>>, options?: { endStream?: boolean }): void;
  write(chunk: Uint8Array): boolean;
  end(body?: string): unknown;
  destroy(): unknown;
  on(event: 'close' | 'error', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * The stream's `error` listener. A client that resets a stream with an error code (or sends
 * GOAWAY with one) makes Node emit `error` on it, and an `error` nobody listens to ends the
 * process. Its `close` follows, and that is where the stream is cleaned up, so nothing else to do.
 */
function ignoreStreamError(): void {}

/**
 * {@link StreamTransport} over a `node:http2` stream, written directly: no `Http2ServerRequest` and
 * `Http2ServerResponse` are made for it (the compatibility API keeps both, with their header
 * objects, for the life of every stream: about 2.3 KB of heap each).
 */
class Http2StreamTransport implements StreamTransport {
  readonly adapter = 'http2';
  private readonly stream: WritableStream;
  private events: TransportEvents | undefined;
  private closed = false;
  private waitingDrain = false;

  constructor(stream: WritableStream) {
    this.stream = stream;
    stream.on('error', ignoreStreamError);
    stream.on('close', () => {
      this.closed = true;
      this.events?.close();
    });
  }

  get aborted(): boolean {
    return this.closed || this.stream.destroyed;
  }

  refuse({ status, headers, body }: Refusal): void {
    if (!this.answerable()) return;
    const { stream } = this;
    stream.respond({ ...headers, ':status': status });
    // A HEAD request's stream has no body to send: Node ends its writable side before the handler runs.
    if (!stream.writableEnded) stream.end(body);
  }

  head(headers: Readonly<Record<string, string>>): void {
    if (this.answerable()) this.stream.respond({ ...headers, ':status': 200 }, { endStream: true });
  }

  /** Whether an answer can still be sent; a stream answered by other code is dropped. */
  private answerable(): boolean {
    if (this.aborted) return false;
    if (!this.stream.headersSent) return true;
    this.stream.destroy();
    return false;
  }

  open(headers: Readonly<Record<string, string>>, events: TransportEvents): void {
    this.events = events;
    this.stream.respond({ ...headers, ':status': 200 });
  }

  write(chunk: Uint8Array): boolean {
    const { stream } = this;
    // Writing to an ended stream would emit an 'error' nobody listens to; its 'close' follows.
    if (stream.writableEnded || stream.destroyed) return true;
    const accepted = stream.write(chunk);
    if (!accepted && !this.waitingDrain) {
      this.waitingDrain = true;
      stream.once('drain', () => {
        this.waitingDrain = false;
        this.events?.drain();
      });
    }
    return accepted;
  }

  bufferedBytes(): number {
    return this.stream.writableLength;
  }

  end(): void {
    if (!this.stream.writableEnded) this.stream.end();
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/**
 * Makes the `node:http2` `stream` event listener of an emitter.
 *
 * @param options - `authorize`, `channels` and the hooks
 */
export function createHttp2StreamHandler<Stream extends Http2ServerStream>(
  core: EmitterCore,
  options: HandlerOptions<Http2StreamRequest<Stream>>,
): Http2StreamHandler<Stream> {
  return (stream, headers) => {
    // A request body nobody reads would hold the stream's flow-control window: discard it.
    stream.resume();
    const transport = new Http2StreamTransport(stream as unknown as WritableStream);
    const method = headers[':method'];
    const path = headers[':path'];
    const req: Http2StreamRequest<Stream> = {
      stream,
      headers,
      method: typeof method === 'string' ? method : 'GET',
      url: typeof path === 'string' ? path : '/',
    };
    const request = {
      lastEventId: lastEventIdFrom(headers[LAST_EVENT_ID_HEADER], req.url),
      framing: 'http2' as const,
      method: req.method,
    };
    serveStream(core, req, request, transport, options).catch((error: unknown) =>
      answerFailure(core, transport, error),
    );
  };
}
