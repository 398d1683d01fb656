import type { ProtocolError } from './errors';
import { createParser } from './parse';
import type { ParsedEvent, ParserOptions } from './parser-types';

/** Options for {@link createParserStream}: the parser's, without `onEvent` (events are the stream's output). */
export type ParserStreamOptions = Omit<ParserOptions, 'onEvent'>;

/**
 * A `TransformStream` from an event stream body (bytes or decoded text) to parsed events, for
 * `fetch` response bodies and any other `ReadableStream`.
 *
 * Bytes are decoded as UTF-8 with the BOM kept, so the parser strips exactly one leading BOM as the
 * spec requires (a decoder that strips one itself would let a second one through as text).
 *
 * @param options - `onRetry`, `onLastEventId`, `onComment`, `onError`, `maxBufferSize`, `lastEventId`
 *
 * @example
 * ```ts
 * const response = await fetch('/events', { headers: { Accept: 'text/event-stream' } });
 * for await (const event of response.body!.pipeThrough(createParserStream())) console.log(event.data);
 * ```
 */
export function createParserStream(
  options: ParserStreamOptions = {},
): TransformStream<string | Uint8Array, ParsedEvent> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let controller: TransformStreamDefaultController<ParsedEvent> | undefined;
  const parser = createParser({
    ...options,
    onEvent: (event) => controller?.enqueue(event),
    onError: (error: ProtocolError) => options.onError?.(error),
  });
  return new TransformStream<string | Uint8Array, ParsedEvent>({
    start(c) {
      controller = c;
    },
    transform(chunk) {
      if (typeof chunk !== 'string') {
        parser.feed(decoder.decode(chunk, { stream: true }));
        return;
      }
      // Text after bytes: an incomplete character the decoder holds comes first, as U+FFFD, so the
      // text stays in order.
      const held = decoder.decode();
      parser.feed(held === '' ? chunk : held + chunk);
    },
    flush() {
      // An unterminated final event is never dispatched (spec: "Once the end of the file is
      // reached, any pending data must be discarded"); only flush the decoder's tail.
      const tail = decoder.decode();
      if (tail !== '') parser.feed(tail);
    },
  });
}
