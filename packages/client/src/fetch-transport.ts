import { createParser, type EventStreamParser } from '@app/sse-protocol';
import { messageOf, SseClientError } from './errors';
import { acceptsSignal, resolveOption, resolveStreamUrl, streamHeaders, supportsNoStore } from './request';
import { checkResponse } from './response-check';
import type { ConnectRequest, Transport, TransportSink } from './transport';

/**
 * The parser's starting "last event ID" on each connection. An `id:` field can never set a value
 * holding NUL (the spec ignores such fields), so while the parser still reports this value, no
 * `id:` field has come on this connection yet. That tells an event that carries an ID apart from
 * one that merely inherits the ID of the previous connection.
 */
const NO_ID_YET = '\0';

function noop(): void {}

/**
 * The `fetch` transport: one `fetch` with a streaming body, parsed by `@app/sse-protocol`'s
 * WHATWG parser. Sees status codes, `Retry-After`, comments (heartbeats) and `retry:` fields.
 *
 * @param request - what to connect to
 * @param sink - where to report
 * @returns a function that aborts the connection
 */
const connectOverFetch: Transport = (request: ConnectRequest, sink: TransportSink) => {
  const controller = new AbortController();
  let aborted = false;
  let parser: EventStreamParser | undefined;
  let body: ReadableStream<Uint8Array> | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  function end(outcome: Parameters<TransportSink['end']>[0]): void {
    if (!aborted) sink.end(outcome);
  }

  function failed(code: 'network' | 'request', message: string, cause: unknown): void {
    end({ kind: 'failed', retryable: true, error: new SseClientError(code, message, { cause }) });
  }

  async function run(): Promise<void> {
    let url: string | URL;
    let headers: Headers;
    let requestBody: BodyInit | undefined;
    try {
      url = await resolveOption(request.url);
      headers = streamHeaders(
        request.headers === undefined ? undefined : await resolveOption(request.headers),
        request.lastEventId,
      );
      requestBody = request.body === undefined ? undefined : await resolveOption(request.body);
    } catch (cause) {
      failed('request', `could not build the request: ${messageOf(cause)}`, cause);
      return;
    }
    if (aborted) return;
    const target = resolveStreamUrl(url, request.baseUrl, request.fetch !== undefined);
    if (target.problem !== undefined) {
      end({
        kind: 'failed',
        retryable: false,
        error: new SseClientError('invalid-option', `cannot connect: ${target.problem}`, { fatal: true }),
      });
      return;
    }
    url = target.url;
    const init: RequestInit = { method: request.method, headers };
    if (requestBody !== undefined) init.body = requestBody;
    if (acceptsSignal(controller.signal)) init.signal = controller.signal;
    // Spec: the request's cache mode is "no-store" (see supportsNoStore for why not a header).
    if (supportsNoStore()) init.cache = 'no-store';
    // Only set when asked: some runtimes (Cloudflare Workers) reject the field.
    if (request.credentials !== undefined) init.credentials = request.credentials;
    let response: Response;
    try {
      response = await (request.fetch === undefined ? globalThis.fetch(url, init) : request.fetch(url, init));
    } catch (cause) {
      failed('network', `could not connect: ${messageOf(cause)}`, cause);
      return;
    }
    if (aborted) {
      response.body?.cancel().catch(noop);
      return;
    }
    const verdict = checkResponse(response, Date.now());
    if (verdict !== undefined || response.body === null) {
      response.body?.cancel().catch(noop);
      end(verdict ?? { kind: 'ended' });
      return;
    }
    // Kept so that an abort cancels the body even before it is read: a `fetch` option may
    // answer with a body that the abort signal does not reach (a wrapped or synthetic Response).
    body = response.body;
    sink.open();
    // A state listener may have closed the client.
    if (aborted) return;
    await read(body);
  }

  async function read(stream: ReadableStream<Uint8Array>): Promise<void> {
    // Spec: the stream is UTF-8; the parser strips the one leading BOM itself, so the decoder must
    // keep it (a decoder that strips one would let a second BOM through as text).
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const activeParser = createParser({
      lastEventId: NO_ID_YET,
      maxBufferSize: request.maxBufferSize,
      // A block with an `id:` field and no data moves the last event ID without an event; told
      // as it happens, so that the events after it are known to inherit that ID.
      onLastEventId: (id) => sink.lastEventId(id),
      onEvent: (event) => {
        sink.event({
          event: event.event,
          data: event.data,
          id: event.id === NO_ID_YET ? undefined : event.id,
        });
      },
      onRetry: (ms) => sink.retry(ms),
      onError: (error) => sink.parseError(error),
    });
    parser = activeParser;
    reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (aborted) return;
        if (done) break;
        sink.activity(value.byteLength);
        activeParser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (cause) {
      failed('network', `the stream broke: ${messageOf(cause)}`, cause);
      return;
    }
    // Spec: "Once the end of the file is reached, any pending data must be discarded": an event
    // cut in the middle is dropped, and the resume asks for it again.
    end({ kind: 'ended' });
  }

  run().catch((cause: unknown) => failed('network', `the connection failed: ${messageOf(cause)}`, cause));

  return () => {
    if (aborted) return;
    aborted = true;
    // Stops a feed() in progress (the parser checks for a reset between lines).
    parser?.reset();
    if (reader !== undefined) reader.cancel().catch(noop);
    else if (body !== undefined && !body.locked) body.cancel().catch(noop);
    controller.abort();
  };
};

/**
 * Creates the `fetch` transport (the counterpart of `createEventSourceTransport`): one `fetch`
 * with a streaming body per connection.
 *
 * @returns the transport
 */
export function createFetchTransport(): Transport {
  return connectOverFetch;
}
