import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';

/** A response body the test writes to, chunk by chunk. */
export interface MockStream {
  readonly body: ReadableStream<Uint8Array>;
  /** Sends text (UTF-8 encoded) as one chunk. */
  send(text: string): void;
  /** Ends the body cleanly (EOF). */
  end(): void;
  /** Errors the body (the connection breaks). */
  fail(error?: Error): void;
}

/** Creates a {@link MockStream}. Writes after the end are ignored. */
export function mockStream(): MockStream {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
    },
  });
  return {
    body,
    send(text) {
      if (open) controller.enqueue(encoder.encode(text));
    },
    end() {
      if (!open) return;
      open = false;
      controller.close();
    },
    fail(error = new Error('connection reset')) {
      if (!open) return;
      open = false;
      controller.error(error);
    },
  };
}

/** One request the endpoint received. */
export interface Received {
  request: Request;
  /** `Date.now()` when it arrived (fake time in timer tests). */
  at: number;
  /** The stream it was answered with, when it got the default event-stream answer. */
  stream: MockStream | undefined;
}

/** A scripted answer: a Response, or `undefined` for the default open event stream. */
export type Responder = (request: Request) => Response | undefined;

/** An msw endpoint speaking `text/event-stream`, with the requests it received. */
export interface MockEndpoint {
  readonly received: Received[];
  /** Answers the next request with `responder` instead of an open stream (queued, in order). */
  next(responder: Responder): void;
  /** The stream of the latest request answered with one. */
  readonly latest: MockStream;
}

/** The answer of an event stream endpoint. */
export function sseResponse(stream: MockStream, headers: Record<string, string> = {}): Response {
  return new HttpResponse(stream.body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers },
  });
}

/**
 * Registers `GET url` on the msw server: each request gets the next scripted answer, or a fresh
 * open {@link MockStream}.
 */
export function mockEndpoint(server: SetupServer, url: string): MockEndpoint {
  const received: Received[] = [];
  const script: Responder[] = [];
  server.use(
    http.get(url, ({ request }) => {
      const entry: Received = { request, at: Date.now(), stream: undefined };
      received.push(entry);
      const scripted = script.shift()?.(request);
      if (scripted !== undefined) return scripted;
      entry.stream = mockStream();
      return sseResponse(entry.stream);
    }),
  );
  return {
    received,
    next: (responder) => void script.push(responder),
    get latest() {
      const stream = received.findLast((entry) => entry.stream !== undefined)?.stream;
      if (stream === undefined) throw new Error('no request was answered with a stream yet');
      return stream;
    },
  };
}
