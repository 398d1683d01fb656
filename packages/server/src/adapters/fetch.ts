import { LAST_EVENT_ID_HEADER } from '@app/sse-protocol';
import type { EmitterCore } from '../emitter-core';
import { SseServerError } from '../errors';
import { lastEventIdFrom } from '../last-event-id';
import type { HandlerOptions } from '../options';
import { answerFailure, serveStream } from '../serve';
import type { StreamTransport, TransportEvents } from '../transport';

/**
 * How many bytes a response body holds before `write` reports it full (the web-stream counterpart
 * of a socket's high-water mark).
 */
const HIGH_WATER_MARK = 64 * 1024;

interface ResponseStream {
  transport: StreamTransport;
  response(): Response;
}

function createResponseStream(request: Request): ResponseStream {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let events: TransportEvents | undefined;
  let response: Response | undefined;
  let closed = false;
  const signal = request.signal as AbortSignal | undefined;

  function finish(): void {
    if (closed) return;
    closed = true;
    signal?.removeEventListener('abort', abort);
    events?.close();
  }
  // The client went away: end the body too, so that a runtime still reading it is not left waiting.
  function abort(): void {
    if (!closed) controller?.close();
    finish();
  }
  signal?.addEventListener('abort', abort, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
      },
      // Called when the reader takes bytes and the queue is under the high-water mark: a drain.
      pull: () => events?.drain(),
      cancel: finish,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_MARK }),
  );

  const transport: StreamTransport = {
    adapter: 'fetch',
    get aborted() {
      return closed || signal?.aborted === true;
    },
    refuse({ status, headers, body: text }) {
      finish();
      response = new Response(text, { status, headers });
    },
    head(headers) {
      finish();
      response = new Response(null, { status: 200, headers });
    },
    open(headers, streamEvents) {
      events = streamEvents;
      response = new Response(body, { status: 200, headers });
    },
    write(chunk) {
      if (closed || controller === undefined) return true;
      controller.enqueue(chunk);
      return (controller.desiredSize ?? 0) > 0;
    },
    bufferedBytes: () =>
      closed || controller === undefined ? 0 : Math.max(0, HIGH_WATER_MARK - (controller.desiredSize ?? 0)),
    end() {
      if (!closed) controller?.close();
      finish();
    },
    destroy() {
      if (!closed)
        controller?.error(
          new SseServerError('slow-consumer', 'the stream fell too far behind and was closed'),
        );
      finish();
    },
  };
  // No response was made only when the client left before the stream opened: nobody reads this one
  // (499 is the "client closed request" status of nginx logs).
  return { transport, response: () => response ?? new Response(null, { status: 499 }) };
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
  const { transport, response } = createResponseStream(request);
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
  return response();
}
