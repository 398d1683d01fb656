import { LAST_EVENT_ID_HEADER } from '@app/sse-protocol';
import type { EmitterCore } from '../emitter-core';
import { SseServerError } from '../errors';
import { lastEventIdFrom } from '../last-event-id';
import type { HandlerOptions } from '../options';
import { answerFailure, serveStream } from '../serve';
import type { Refusal, StreamTransport, TransportEvents } from '../transport';

/**
 * How many bytes a response body holds before `write` reports it full (the web-stream counterpart
 * of a socket's high-water mark).
 */
const HIGH_WATER_MARK = 64 * 1024;

/**
 * The queuing strategy of every response body: read once by each stream as it is made, so one
 * object serves them all.
 */
const BODY_QUEUING = new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_MARK });

/**
 * The transport over one web-standard `Response`. A class rather than an object of closures (as
 * the node transports are): thousands are alive at once, and methods on the prototype cost nothing
 * per stream. It is also its body's underlying source (`start`, `pull`, `cancel`) and the request
 * signal's abort listener (`handleEvent`), so neither needs functions of its own.
 */
class FetchTransport implements StreamTransport, UnderlyingDefaultSource<Uint8Array>, EventListenerObject {
  readonly adapter = 'fetch';
  /** The answer, once one is made. */
  response: Response | undefined = undefined;
  private readonly signal: AbortSignal | undefined;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined = undefined;
  private events: TransportEvents | undefined = undefined;
  private closed = false;

  /**
   * @param request - the request it answers: its signal says when the client goes away
   */
  constructor(request: Request) {
    this.signal = request.signal as AbortSignal | undefined;
    this.signal?.addEventListener('abort', this, { once: true });
  }

  get aborted(): boolean {
    return this.closed || this.signal?.aborted === true;
  }

  /** The client went away: the body ends too, so that a runtime still reading it is not left waiting. */
  handleEvent(): void {
    if (!this.closed) this.controller?.close();
    this.finish();
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
  }

  /** Called when the reader takes bytes and the queue is under the high-water mark: a drain. */
  pull(): void {
    this.events?.drain();
  }

  cancel(): void {
    this.finish();
  }

  refuse({ status, headers, body }: Refusal): void {
    this.finish();
    this.response = new Response(body, { status, headers });
  }

  head(headers: Readonly<Record<string, string>>): void {
    this.finish();
    this.response = new Response(null, { status: 200, headers });
  }

  open(headers: Readonly<Record<string, string>>, events: TransportEvents): void {
    this.events = events;
    // Made only now: a refused request never pays for a stream.
    this.response = new Response(new ReadableStream(this, BODY_QUEUING), { status: 200, headers });
  }

  write(chunk: Uint8Array): boolean {
    const { controller } = this;
    if (this.closed || controller === undefined) return true;
    controller.enqueue(chunk);
    return (controller.desiredSize ?? 0) > 0;
  }

  bufferedBytes(): number {
    const { controller } = this;
    if (this.closed || controller === undefined) return 0;
    return Math.max(0, HIGH_WATER_MARK - (controller.desiredSize ?? 0));
  }

  end(): void {
    if (!this.closed) this.controller?.close();
    this.finish();
  }

  destroy(): void {
    if (!this.closed) {
      this.controller?.error(
        new SseServerError('slow-consumer', 'the stream fell too far behind and was closed'),
      );
    }
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this);
    this.events?.close();
  }
}

/**
 * Creates the handler of one fetch-style endpoint: it answers a web-standard `Request` with a
 * streaming `Response`, or a refusal (the counterpart of `createNodeHandler`).
 *
 * @param options - the endpoint's `authorize`, `channels` and hooks
 */
export function createFetchHandler(
  core: EmitterCore,
  options: HandlerOptions<Request>,
): (request: Request) => Promise<Response> {
  return (request) => serveFetchRequest(core, request, options);
}

async function serveFetchRequest(
  core: EmitterCore,
  request: Request,
  options: HandlerOptions<Request>,
): Promise<Response> {
  const transport = new FetchTransport(request);
  const streamRequest = {
    lastEventId: lastEventIdFrom(request.headers.get(LAST_EVENT_ID_HEADER), request.url),
    // Connection is hop-by-hop: the runtime's HTTP layer owns it (and HTTP/2 forbids it). The
    // runtime may serve HTTP/1.1 behind nginx, so X-Accel-Buffering stays.
    framing: 'close' as const,
    method: request.method,
  };
  try {
    await serveStream(core, request, streamRequest, transport, options);
  } catch (error) {
    answerFailure(core, transport, error);
  }
  // No response was made only when the client left before the stream opened: nobody reads this one
  // (499 is the "client closed request" status of nginx logs).
  return transport.response ?? new Response(null, { status: 499 });
}
