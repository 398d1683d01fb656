import { ServerResponse, STATUS_CODES } from 'node:http';
import { LAST_EVENT_ID_HEADER } from '@app/sse-protocol';
import type { EmitterCore } from '../emitter-core';
import { lastEventIdFrom } from '../last-event-id';
import type { HandlerOptions } from '../options';
import { answerFailure, type StreamFraming, serveStream } from '../serve';
import type { Adapter } from '../telemetry';
import type { Refusal, StreamTransport, TransportEvents } from '../transport';
import { type StreamSocket, writeChunked } from './chunked-socket';

/**
 * The headers of a {@link NodeRequest}: Node's shape (one string per header, an array for repeated
 * ones such as `set-cookie`), with the headers an `authorize` usually reads typed as strings.
 *
 * @example
 * ```ts
 * const token = (headers: NodeRequestHeaders) => headers.authorization?.replace(/^Bearer /, '');
 * ```
 */
export interface NodeRequestHeaders {
  readonly [name: string]: string | string[] | undefined;
  readonly authorization?: string | undefined;
  readonly cookie?: string | undefined;
  readonly connection?: string | undefined;
  readonly host?: string | undefined;
  readonly origin?: string | undefined;
  readonly 'last-event-id'?: string | undefined;
}

/**
 * A request `handler()` serves: `node:http`'s `IncomingMessage` (Express's `Request` extends it) or
 * `node:http2`'s compatibility `Http2ServerRequest`. Declared by the members the handler reads, so
 * the package's types never import `node:http` (an app that only uses `fetchHandler` needs no
 * `@types/node`); annotate `authorize`'s parameter (`req: express.Request`, `req: IncomingMessage`)
 * to get the full request type in the hooks.
 *
 * @example
 * ```ts
 * const authorize = (req: NodeRequest) => req.headers.authorization === `Bearer ${token}`;
 * ```
 */
export interface NodeRequest {
  /** The request headers, lowercase names. */
  readonly headers: NodeRequestHeaders;
  /** The request target (path and query). */
  readonly url?: string | undefined;
  /** The request method. */
  readonly method?: string | undefined;
  /** The HTTP version: `1` with minor `1` may keep the connection alive. */
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  /** Lets the request body flow (the handler discards it). */
  resume(): unknown;
}

/**
 * A response `handler()` writes: `node:http`'s `ServerResponse` (Express's `Response` extends it)
 * or `node:http2`'s compatibility `Http2ServerResponse`, declared by the members both have.
 *
 * @example
 * ```ts
 * const route = (req: NodeRequest, res: NodeResponse) => (req.url === '/events' ? events(req, res) : notFound(res));
 * ```
 */
export interface NodeResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  // Only the presence of these methods is declared: their many overloads differ between node:http
  // and node:http2, and the handler works on them through its own view of the response.
  writeHead(...args: never[]): unknown;
  write(...args: never[]): unknown;
  end(...args: never[]): unknown;
}

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
  /** node:http only: whether the body goes out in HTTP/1.1 chunks. */
  readonly chunkedEncoding?: boolean;
  /** node:http only: bytes the response holds itself (before its socket was assigned). */
  readonly outputSize?: number;
  /** node:http only: the connection, once assigned. */
  readonly socket?: StreamSocket | null;
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  flush?(): void;
  write(chunk: Uint8Array): boolean;
  end(body?: string): unknown;
  destroy(): unknown;
  on(event: 'close' | 'prefinish', listener: () => void): unknown;
  once(event: 'drain' | 'finish', listener: () => void): unknown;
}

/** A request's socket, as far as a response queued behind another one needs it. */
interface ConnectionSocket {
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The transports of responses queued behind another on their connection (HTTP/1.1 pipelining),
 * by connection: one `close` listener per connection serves them all, however many a client
 * pipelines (a listener each would pass the socket's listener limit, and Node would print a
 * "possible memory leak" warning for any client that sends eleven requests in one write).
 */
const queuedOn = new WeakMap<ConnectionSocket, Set<NodeTransport>>();

/** `ServerResponse.prototype.write`: a response whose `write` is another was wrapped by middleware. */
const NODE_WRITE = ServerResponse.prototype.write;

/**
 * Node keeps a response's header block (`_header`) for as long as the response lives, as the rope
 * its lines were concatenated into: some twenty string pieces, about 700 bytes of heap per open
 * stream, more than the stream's own state. A string search makes V8 flatten the rope in place
 * (the rope then points to one flat copy, its pieces become garbage): ~400 bytes less per stream.
 * Read-only, and without effect where Node keeps no such string (HTTP/2, a future Node).
 */
function flattenHeaderBlock(res: object): void {
  const header: unknown = (res as { _header?: unknown })._header;
  // The result is stored: once this function is optimised, V8 drops a string search whose result
  // nobody uses (it has no side effect), and the rope stays whole (it did, for four streams in five).
  if (typeof header === 'string') _headerSearchResult = header.indexOf('\n');
}
/** Where flattenHeaderBlock stores its search's result, so that the search is never dropped. */
let _headerSearchResult = 0;

/**
 * The transport over one Node response. A class rather than an object of closures: thousands are
 * alive at once, and prototype methods cost nothing per connection. The `drain` listener is only
 * added when a write is refused, so an idle stream carries one listener function (on `close` and
 * on `prefinish`).
 *
 * Once the stream's first bytes went out through the response, a plain node:http response (no
 * middleware wrapping `write`, its socket serving it alone) is written through its socket
 * directly, with the chunk framing `res.write` would add. Framework responses (Express sets its own
 * prototype on every response, so each one gets a V8 map of its own) make every property read
 * inside `res.write` a megamorphic lookup; the socket is a plain `net.Socket`, the same shape for
 * every connection, and one write per chunk instead of four.
 */
class NodeTransport implements StreamTransport {
  readonly adapter: Adapter;
  private readonly res: WritableResponse;
  private events: TransportEvents | undefined;
  private closed = false;
  private waitingDrain = false;
  /** Whether a middleware (`compression`) added `res.flush()`; looked up once, not per write. */
  private readonly flushes: boolean;
  /** The socket written directly once the stream is open and that is safe; `null` before or never. */
  private socket: StreamSocket | null = null;
  /** Whether the response uses chunked encoding (HTTP/1.1), read once with `socket`. */
  private chunked = false;

  constructor(res: WritableResponse, adapter: Adapter) {
    this.res = res;
    this.adapter = adapter;
    this.flushes = typeof res.flush === 'function';
    const onEnd = (): void => this.onClose();
    res.on('close', onEnd);
    // node:http emits `prefinish` when the response is ended, at once when its socket serves it (the
    // only case where the socket is written directly): whoever ends it (this transport, or other
    // code such as a request-timeout middleware), the stream is over from then on. It spares the
    // direct socket writes a read of `res.writableEnded`, which on Express's responses (a V8 map
    // each) is a megamorphic lookup through four prototypes: 5% of a 10,000-stream fan-out.
    res.on('prefinish', onEnd);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.events?.close();
  }

  /**
   * Follows the connection of a response queued behind another on it (HTTP/1.1 pipelining): when
   * the connection goes, Node never emits `close` on such a response (its request's came once the
   * request was read), and the stream would stay registered, holding its `maxClients` slot.
   *
   * @param connection - the request's socket
   */
  followConnection(connection: ConnectionSocket): void {
    let queued = queuedOn.get(connection);
    if (queued === undefined) {
      const transports = new Set<NodeTransport>();
      queuedOn.set(connection, transports);
      connection.once('close', () => {
        queuedOn.delete(connection);
        for (const transport of transports) transport.onClose();
      });
      queued = transports;
    }
    const transports = queued;
    transports.add(this);
    this.res.on('close', () => transports.delete(this));
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
    // A writeHead that threw (a header value `httpError()` was given with a CR or LF) already set
    // the reason phrase of its own status, and a second writeHead keeps a phrase it finds: the
    // fallback 500 would go out as `500 Forbidden`. HTTP/2 has no reason phrase (and warns when
    // one is read or set), so only node:http's response is touched.
    if (res instanceof ServerResponse) res.statusMessage = STATUS_CODES[status] ?? '';
    res.writeHead(status, headers);
    res.end(body);
  }

  open(headers: Readonly<Record<string, string>>, events: TransportEvents): void {
    this.events = events;
    // No flushHeaders(): the first write follows at once and takes the headers with it, one packet
    // and one system call per new stream instead of two (it counts when thousands reconnect).
    this.res.writeHead(200, headers);
    flattenHeaderBlock(this.res);
  }

  write(chunk: Uint8Array): boolean {
    const socket = this.socket;
    if (socket !== null) {
      // Ended by other code (see the constructor): bytes after the response's last chunk would
      // corrupt the connection.
      if (this.closed) return true;
      const accepted = this.chunked ? writeChunked(socket, chunk) : socket.write(chunk);
      if (!accepted) this.awaitDrain(socket);
      return accepted;
    }
    const { res } = this;
    // Other code may have ended the response (a request-timeout middleware); Node would answer a
    // write with an 'error' event that nobody listens to, which ends the process. Its 'close'
    // follows and forgets the stream.
    if (res.writableEnded) return true;
    const accepted = res.write(chunk);
    // `compression` (and similar middleware) hold bytes until flushed: flush after every write so
    // each event reaches the client at once.
    if (this.flushes) res.flush?.();
    else this.useSocket();
    if (!accepted) this.awaitDrain(res);
    return accepted;
  }

  /**
   * After a write through the response: switches to the socket when the response is node:http's own
   * (not wrapped by middleware, not HTTP/2), its headers and bytes are all on the socket, and the
   * socket serves this response.
   */
  private useSocket(): void {
    const { res } = this;
    // Checked first: reading `socket` of an HTTP/2 response makes Node build a Proxy for it, which
    // the response then keeps for the life of the stream.
    if (res.write !== NODE_WRITE) return;
    const socket = res.socket;
    if (
      socket == null ||
      socket._httpMessage !== res ||
      res.outputSize !== 0 ||
      typeof res.chunkedEncoding !== 'boolean'
    ) {
      return;
    }
    this.chunked = res.chunkedEncoding;
    this.socket = socket;
  }

  private awaitDrain(emitter: { once(event: 'drain', listener: () => void): unknown }): void {
    if (this.waitingDrain) return;
    this.waitingDrain = true;
    emitter.once('drain', () => {
      this.waitingDrain = false;
      this.events?.drain();
    });
  }

  bufferedBytes(): number {
    const socket = this.socket;
    return socket === null ? this.res.writableLength : socket.writableLength;
  }

  end(shuttingDown = false): void {
    const { res } = this;
    if (res.writableEnded) return;
    // Read before the response finishes: Node then detaches it from its socket.
    const socket = shuttingDown && this.adapter === 'node' ? res.socket : null;
    res.end();
    // A reconnection over the kept-alive connection would reach this instance again, now answering
    // 503, and a native EventSource fails for good on any status but 200 (WHATWG HTML, "Server-sent
    // events": "fail the connection"). Once the response is out, the connection ends as well.
    if (socket != null) res.once('finish', () => socket.end());
  }

  destroy(): void {
    this.res.destroy();
  }
}

// The `close` token of a Connection header, as Node itself matches it.
const CONNECTION_CLOSE = /(?:^|\W)close(?:$|\W)/i;

/**
 * How the stream travels: HTTP/2 (the compatibility API), or HTTP/1.x where it may say
 * `Connection: keep-alive` on HTTP/1.1 only (HTTP/1.0 has no chunked encoding, its stream ends with
 * the connection), and not when the client asked to close.
 */
function framingOf(req: NodeRequest, http2: boolean): StreamFraming {
  if (http2) return 'http2';
  // Node's HTTP/1 parser also reads a request line that says `HTTP/2.0`: Node answers it as it
  // does HTTP/1.0 (not chunked, not kept alive), and so does the stream.
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor < 1) return 'close';
  const connection = req.headers.connection;
  return connection === undefined || !CONNECTION_CLOSE.test(String(connection)) ? 'keep-alive' : 'close';
}

/**
 * Makes the Express / `node:http` / `node:http2` handler of an emitter.
 *
 * @param options - `authorize` and `channels`
 */
export function createNodeHandler<Req extends NodeRequest>(
  core: EmitterCore,
  options: HandlerOptions<Req>,
): NodeHandler<Req> {
  return (req, res) => {
    // Express's router leaves `req.next` on the request: its closure holds the router's per-request
    // chain (about 0.8 KB) for as long as the stream lives. This handler never calls it (refusals
    // are answered here), so the stream does not keep it.
    if (typeof (req as { next?: unknown }).next === 'function') (req as { next?: unknown }).next = undefined;
    // An event stream reads nothing from its request, but a body nobody reads fills Node's buffers
    // and pauses the socket, and a paused socket never sees the client's FIN: the stream would stay
    // registered (holding its `maxClients` slots, `onDisconnect` never called) until a write failed,
    // which with no heartbeat and no publish is never. Discard the body, so a client that leaves is
    // seen leaving whatever its request carried. (A no-op when middleware already read it.)
    req.resume();
    // HTTP/2 by its response, not only by the version its request claims (see framingOf).
    const http2 = req.httpVersionMajor === 2 && !(res instanceof ServerResponse);
    const transport = new NodeTransport(res as unknown as WritableResponse, http2 ? 'http2' : 'node');
    // A node:http response starts with `socket: null` while another response holds its connection.
    const connection = (req as { socket?: ConnectionSocket | null }).socket;
    if ((res as unknown as WritableResponse).socket === null && connection != null) {
      transport.followConnection(connection);
    }
    const request = {
      lastEventId: lastEventIdFrom(req.headers[LAST_EVENT_ID_HEADER], req.url),
      framing: framingOf(req, http2),
      // Always set on a server's request; a hand-made one without it is read as GET.
      method: req.method ?? 'GET',
    };
    serveStream(core, req, request, transport, options).catch((error: unknown) =>
      answerFailure(core, transport, error),
    );
  };
}
