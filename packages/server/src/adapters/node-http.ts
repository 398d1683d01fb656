import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { LAST_EVENT_ID_HEADER } from '@app/sse-protocol';
import type { EmitterCore } from '../core';
import { lastEventIdFrom } from '../last-event-id';
import type { HandlerOptions } from '../options';
import { refusal } from '../refusals';
import { serveStream } from '../serve';
import type { Refusal, StreamTransport, TransportEvents } from '../transport';

/** A request `handler()` serves: `node:http`'s (Express's extends it) or `node:http2`'s compatibility one. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;
/** A response `handler()` writes: `node:http`'s (Express's extends it) or `node:http2`'s compatibility one. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * The function `handler()` returns: an Express handler and a `node:http` / `node:http2` request
 * listener at once. It never throws and never calls `next`: refusals are answered directly.
 */
export type NodeHandler<Req extends NodeRequest = NodeRequest> = (
  req: Req,
  res: NodeResponse,
  next?: (error?: unknown) => void,
) => void;

/** The members of both response types the transport uses (`flush` is added by `compression`). */
interface WritableResponse {
  readonly headersSent: boolean;
  readonly writableLength: number;
  readonly destroyed?: boolean;
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  flushHeaders?(): void;
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
    const { res } = this;
    if (this.closed) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  open(headers: Readonly<Record<string, string>>, events: TransportEvents): void {
    this.events = events;
    this.res.writeHead(200, headers);
    this.res.flushHeaders?.();
  }

  write(chunk: Uint8Array): boolean {
    const { res } = this;
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
    this.res.end();
  }

  destroy(): void {
    this.res.destroy();
  }
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
      http1: req.httpVersionMajor < 2,
    };
    serveStream(core, req, request, transport, options).catch((error: unknown) => {
      // Only a response that failed under us gets here (serveStream answers every refusal itself).
      core.options.onError(error);
      transport.refuse(refusal(500, 'Internal Server Error'));
    });
  };
}
