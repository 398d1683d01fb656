import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { LAST_EVENT_ID_HEADER } from '@app/sse-protocol';
import type { EmitterCore } from '../core';
import { lastEventIdFrom } from '../last-event-id';
import type { HandlerOptions } from '../options';
import { refusal } from '../refusals';
import { serveStream } from '../serve';
import type { Refusal, StreamTransport, TransportEvents } from '../transport';

/**
 * A request `handler()` serves: `node:http`'s (Express's extends it) or `node:http2`'s compatibility one.
 *
 * @example
 * ```ts
 * const authorize = (req: NodeRequest) => req.headers.authorization === `Bearer ${token}`;
 * ```
 */
export type NodeRequest = IncomingMessage | Http2ServerRequest;
/**
 * A response `handler()` writes: `node:http`'s (Express's extends it) or `node:http2`'s compatibility one.
 *
 * @example
 * ```ts
 * const route = (req: NodeRequest, res: NodeResponse) => (req.url === '/events' ? events(req, res) : notFound(res));
 * ```
 */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * The function `handler()` returns: an Express handler and a `node:http` / `node:http2` request
 * listener at once. It never throws and never calls `next`: refusals are answered directly. A
 * `HEAD` request gets the stream's headers (or the refusal) and no body.
 *
 * @example
 * ```ts
 * const events: NodeHandler = sse.handler({ authorize });
 * app.get('/events', events);
 * http.createServer(events).listen(8080);
 * ```
 */
export type NodeHandler<Req extends NodeRequest = NodeRequest> = (
  req: Req,
  res: NodeResponse,
  next?: (error?: unknown) => void,
) => void;

/** The members of both response types the transport uses (`flush` is added by `compression`). */
interface WritableResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableLength: number;
  readonly destroyed?: boolean;
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  flush?(): void;
  write(chunk: Uint8Array): boolean;
  end(body?: string): unknown;
  destroy(): unknown;
  on(event: 'close', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * The transport over one Node response. A class rather than an object of closures: thousands are
 * alive at once, and prototype methods cost nothing per connection. The `drain` listener is only
 * added when a write is refused, so an idle stream carries a single listener (`close`).
 */
class NodeTransport implements StreamTransport {
  private readonly res: WritableResponse;
  private events: TransportEvents | undefined;
  private closed = false;
  private waitingDrain = false;
  /** Whether a middleware (`compression`) added `res.flush()`; looked up once, not per write. */
  private readonly flushes: boolean;

  constructor(res: WritableResponse) {
    this.res = res;
    this.flushes = typeof res.flush === 'function';
    res.on('close', () => {
      this.closed = true;
      this.events?.close();
    });
  }

  get aborted(): boolean {
    return this.closed || this.res.destroyed === true;
  }

  refuse({ status, headers, body }: Refusal): void {
    this.answer(status, headers, body);
  }

  head(headers: Readonly<Record<string, string>>): void {
    this.answer(200, headers, undefined);
  }

  private answer(status: number, headers: Readonly<Record<string, string>>, body: string | undefined): void {
    const { res } = this;
    // A response that is gone, or was already answered by other code, takes nothing more.
    if (this.aborted || res.writableEnded) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  open(headers: Readonly<Record<string, string>>, events: TransportEvents): void {
    this.events = events;
    // No flushHeaders(): the first write follows at once and takes the headers with it, one packet
    // and one system call per new stream instead of two (it counts when thousands reconnect).
    this.res.writeHead(200, headers);
  }

  write(chunk: Uint8Array): boolean {
    const { res } = this;
    // Other code may have ended the response (a request-timeout middleware); Node would answer a
    // write with an 'error' event that nobody listens to, which ends the process. Its 'close'
    // follows and forgets the stream.
    if (res.writableEnded) return true;
    const accepted = res.write(chunk);
    // `compression` (and similar middleware) hold bytes until flushed: flush after every write so
    // each event reaches the client at once.
    if (this.flushes) res.flush?.();
    if (!accepted && !this.waitingDrain) {
      this.waitingDrain = true;
      res.once('drain', () => {
        this.waitingDrain = false;
        this.events?.drain();
      });
    }
    return accepted;
  }

  bufferedBytes(): number {
    return this.res.writableLength;
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }

  destroy(): void {
    this.res.destroy();
  }
}

// The `close` token of a Connection header, as Node itself matches it.
const CONNECTION_CLOSE = /(?:^|\W)close(?:$|\W)/i;

/**
 * Whether the stream may say `Connection: keep-alive`: on HTTP/1.1 only (HTTP/1.0 has no chunked
 * encoding, its stream ends with the connection; HTTP/2 forbids the header), and not when the
 * client asked to close.
 */
function keepsAlive(req: NodeRequest): boolean {
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor < 1) return false;
  const connection = req.headers.connection;
  return connection === undefined || !CONNECTION_CLOSE.test(String(connection));
}

/**
 * Makes the Express / `node:http` / `node:http2` handler of an emitter.
 *
 * @param core - the emitter
 * @param options - `authorize` and `channels`
 */
export function createNodeHandler<Req extends NodeRequest>(
  core: EmitterCore,
  options: HandlerOptions<Req>,
): NodeHandler<Req> {
  return (req, res) => {
    const transport = new NodeTransport(res as unknown as WritableResponse);
    const request = {
      lastEventId: lastEventIdFrom(req.headers[LAST_EVENT_ID_HEADER], req.url),
      keepAlive: keepsAlive(req),
      // Always set on a server's request; a hand-made one without it is read as GET.
      method: req.method ?? 'GET',
    };
    serveStream(core, req, request, transport, options).catch((error: unknown) => {
      // Only a response that failed under us gets here (serveStream answers every refusal itself,
      // unless the refusal itself cannot be written: headers an `httpError()` made invalid).
      core.options.onError(error);
      try {
        transport.refuse(refusal(500, 'Internal Server Error'));
      } catch {
        transport.destroy();
      }
    });
  };
}
