import { ProtocolError } from './errors';

/**
 * One dispatched event, as the WHATWG HTML "Server-sent events" processing model creates it.
 */
export interface ParsedEvent {
  /**
   * The stream's last event ID string when this event was dispatched. Per the spec it persists
   * across events until an `id` field changes it; `''` when none was ever set.
   */
  id: string;
  /** The event type: the `event` field of this block, or `'message'` when it had none. */
  event: string;
  /** The `data` lines of this block joined with LF (the final LF removed). */
  data: string;
}

/** Callbacks and limits for {@link createParser}. */
export interface ParserOptions {
  /** Called for every dispatched event. */
  onEvent?: (event: ParsedEvent) => void;
  /** Called with the new reconnection time (milliseconds) for each valid `retry:` field. */
  onRetry?: (retryMs: number) => void;
  /** Called with the text of each comment line (after the colon, one leading space removed). */
  onComment?: (comment: string) => void;
  /**
   * Called for input the spec tells parsers to ignore (`unknown-field`, `invalid-retry`) and for
   * discarded oversized input (`buffer-overflow`). Parsing always continues; nothing is thrown.
   */
  onError?: (error: ProtocolError) => void;
  /**
   * The longest line, and the largest event `data`, in UTF-16 code units, that the parser keeps.
   * A line growing past it is reported and skipped up to its end; an event whose data grows past it
   * is reported and dropped as a whole (never delivered truncated).
   *
   * @defaultValue 16 MiB (16 * 1024 * 1024)
   */
  maxBufferSize?: number;
  /** The last event ID to start with (for example one persisted from an earlier connection). @defaultValue `''` */
  lastEventId?: string;
}

/** A streaming parser: feed it decoded text in chunks of any size. */
export interface EventStreamParser {
  /**
   * Parses the next chunk of decoded text. Cost is linear in the total input, however it is cut.
   *
   * @param chunk - the next piece of the stream, of any length (lines and CRLF may span chunks)
   */
  feed(chunk: string): void;
  /**
   * Starts a new stream (a new connection): drops any partial line or event and expects an
   * optional BOM again. The last event ID is kept, as an `EventSource` keeps it across reconnects.
   */
  reset(): void;
  /** The last event ID string: what a client sends as `Last-Event-ID` when it reconnects. */
  readonly lastEventId: string;
}

/** Default for {@link ParserOptions.maxBufferSize}. */
export const DEFAULT_MAX_BUFFER_SIZE = 16 * 1024 * 1024;

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const BOM = 0xfeff;
const DIGITS = /^[0-9]+$/;

function noop(): void {}

/**
 * Creates a streaming Server-Sent Events parser that follows the "Interpreting an event stream"
 * rules of the WHATWG HTML standard exactly
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 *
 * @param options - callbacks and limits, see {@link ParserOptions}
 * @returns `{ feed, reset, lastEventId }`
 *
 * @example
 * ```ts
 * const parser = createParser({ onEvent: (e) => console.log(e.event, e.data, e.id) });
 * parser.feed('event: greet\ndata: hel');
 * parser.feed('lo\n\n'); // -> greet hello ''
 * ```
 */
export function createParser(options: ParserOptions = {}): EventStreamParser {
  if (typeof options === 'function') {
    throw new TypeError(
      '@app/sse-protocol: createParser() takes an options object, not a function. Did you mean createParser({ onEvent })?',
    );
  }
  const onEvent = options.onEvent ?? noop;
  const onRetry = options.onRetry ?? noop;
  const onComment = options.onComment;
  const onError = options.onError ?? noop;
  const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
  if (!(maxBufferSize > 0)) {
    throw new RangeError(`@app/sse-protocol: maxBufferSize must be a positive number, got ${maxBufferSize}`);
  }

  // The unfinished line, as the pieces it arrived in. Only each new chunk is ever searched for line
  // ends, never these: searching the growing line again on every chunk would make a long line in
  // small chunks cost O(n^2). The pieces are joined once, when the line ends, into a flat string
  // (`a + b` would build a rope whose every character access takes a slower path).
  let pendingParts: string[] = [];
  let pendingLength = 0;
  let skippingLine = false; // the current line passed maxBufferSize: drop it up to its end
  let started = false; // a BOM is only stripped at the very start of a stream
  let skipLeadingLf = false; // the previous chunk ended in CR: an LF opening the next one belongs to it

  let data = '';
  let hasData = false; // "data buffer is not empty" without building the trailing LF
  let droppingEvent = false; // the event's data passed maxBufferSize: drop it at its blank line
  let eventType = '';
  let idBuffer = options.lastEventId ?? '';
  // A plain data property, not a getter: an object literal with an accessor is kept by V8 in a
  // slower shape, and every feed() call would then pay a slow property lookup.
  const parser: EventStreamParser & { lastEventId: string } = { feed, reset, lastEventId: idBuffer };
  let generation = 0; // bumped by reset(), so a callback that resets stops the current feed

  function dispatch(): void {
    // Spec: "Set the last event ID string of the event source to the value of the last event ID
    // buffer" happens before the empty-data check, so an id-only block still moves it.
    parser.lastEventId = idBuffer;
    if (droppingEvent || !hasData) {
      droppingEvent = false;
      data = '';
      hasData = false;
      eventType = '';
      return;
    }
    const event: ParsedEvent = { id: idBuffer, event: eventType === '' ? 'message' : eventType, data };
    data = '';
    hasData = false;
    eventType = '';
    onEvent(event);
  }

  function appendData(value: string): void {
    if (droppingEvent) return;
    if (hasData) data = `${data}\n${value}`;
    else {
      data = value;
      hasData = true;
    }
    if (data.length > maxBufferSize) dropEvent();
  }

  // Kept out of appendData so that the hot function stays small enough to be inlined.
  function dropEvent(): void {
    data = '';
    hasData = false;
    droppingEvent = true;
    onError(
      new ProtocolError(
        'buffer-overflow',
        `event data exceeded maxBufferSize (${maxBufferSize}); the event was dropped`,
      ),
    );
  }

  function processField(field: string, value: string): void {
    switch (field) {
      case 'data':
        appendData(value);
        return;
      case 'event':
        eventType = value;
        return;
      case 'id':
        // Spec: "If the field value does not contain U+0000 NULL, then set the last event ID buffer".
        if (value.indexOf('\0') === -1) idBuffer = value;
        return;
      case 'retry':
        // Spec: only "ASCII digits" set the reconnection time; anything else is ignored.
        if (DIGITS.test(value)) onRetry(Number.parseInt(value, 10));
        else
          onError(
            new ProtocolError('invalid-retry', `ignored retry field with value ${JSON.stringify(value)}`),
          );
        return;
      default:
        onError(
          new ProtocolError(
            'unknown-field',
            `ignored unknown field ${JSON.stringify(field.length > 32 ? `${field.slice(0, 32)}…` : field)}`,
          ),
        );
    }
  }

  function reportLineOverflow(): void {
    onError(
      new ProtocolError(
        'buffer-overflow',
        `a line exceeded maxBufferSize (${maxBufferSize}); it was discarded up to its end`,
      ),
    );
  }

  // Processes the line s[start, end). The hot fields (`data:`, `event:`, `id:`) are recognised by
  // char codes in place, so the common line costs one slice for its value and no other allocation.
  function processLine(s: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    // The limit applies to the line however it arrived: a long line that came in one chunk is
    // refused exactly like the same line cut into many, so the result never depends on chunking.
    if (end - start > maxBufferSize) {
      reportLineOverflow();
      return;
    }
    const first = s.charCodeAt(start);
    if (first === COLON) {
      if (onComment !== undefined) {
        onComment(s.slice(s.charCodeAt(start + 1) === SPACE && start + 1 < end ? start + 2 : start + 1, end));
      }
      return;
    }
    // Line ends are CR or LF, and past the string charCodeAt is NaN, so prefix checks cannot match
    // beyond `end`. Spec: "If value starts with a U+0020 SPACE character, remove it from value."
    if (
      first === 100 /* d */ &&
      s.charCodeAt(start + 1) === 97 &&
      s.charCodeAt(start + 2) === 116 &&
      s.charCodeAt(start + 3) === 97 &&
      s.charCodeAt(start + 4) === COLON
    ) {
      appendData(s.slice(s.charCodeAt(start + 5) === SPACE && start + 5 < end ? start + 6 : start + 5, end));
      return;
    }
    if (
      first === 101 /* e */ &&
      s.charCodeAt(start + 1) === 118 &&
      s.charCodeAt(start + 2) === 101 &&
      s.charCodeAt(start + 3) === 110 &&
      s.charCodeAt(start + 4) === 116 &&
      s.charCodeAt(start + 5) === COLON
    ) {
      eventType = s.slice(s.charCodeAt(start + 6) === SPACE && start + 6 < end ? start + 7 : start + 6, end);
      return;
    }
    if (first === 105 /* i */ && s.charCodeAt(start + 1) === 100 && s.charCodeAt(start + 2) === COLON) {
      const value = s.slice(
        s.charCodeAt(start + 3) === SPACE && start + 3 < end ? start + 4 : start + 3,
        end,
      );
      if (value.indexOf('\0') === -1) idBuffer = value;
      return;
    }
    // The general case slices the line first, so the colon search never runs past its end.
    const line = s.slice(start, end);
    const colon = line.indexOf(':');
    if (colon === -1) {
      // Spec: a line without a colon is a field name with the empty string as its value.
      processField(line, '');
      return;
    }
    processField(
      line.slice(0, colon),
      line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1),
    );
  }

  function keepPending(piece: string): void {
    if (skippingLine) return;
    pendingLength += piece.length;
    if (pendingLength > maxBufferSize) overflowPending();
    else pendingParts.push(piece);
  }

  // Kept out of the hot paths that grow the unfinished line, which stay small enough to inline.
  function overflowPending(): void {
    clearPending();
    skippingLine = true;
    reportLineOverflow();
  }

  function clearPending(): void {
    pendingParts = []; // cheaper than `length = 0`, which goes through a slower builtin
    pendingLength = 0;
  }

  // The common case, no CR in the rest of the chunk: only LF ends lines, so one indexOf per line.
  // The hot fields (`data:`, `event:`, `id:`) and the blank line cost no call per line. A `data:` line directly followed by the blank line is dispatched without going through the
  // data buffer, which saves a line of work per single-line event (nearly every JSON event).
  // Returns where the unfinished remainder starts, or -1 when a callback reset the parser.
  function feedLfOnly(chunk: string, pos: number, lf: number, feedGeneration: number): number {
    while (lf !== -1) {
      const first = chunk.charCodeAt(pos);
      if (lf === pos) dispatch();
      else if (lf - pos > maxBufferSize) reportLineOverflow();
      else if (
        first === 100 /* d */ &&
        chunk.charCodeAt(pos + 1) === 97 &&
        chunk.charCodeAt(pos + 2) === 116 &&
        chunk.charCodeAt(pos + 3) === 97 &&
        chunk.charCodeAt(pos + 4) === COLON
      ) {
        const value = chunk.slice(
          chunk.charCodeAt(pos + 5) === SPACE && pos + 5 < lf ? pos + 6 : pos + 5,
          lf,
        );
        if (!hasData && !droppingEvent && chunk.charCodeAt(lf + 1) === LF) {
          parser.lastEventId = idBuffer;
          const event: ParsedEvent = {
            id: idBuffer,
            event: eventType === '' ? 'message' : eventType,
            data: value,
          };
          eventType = '';
          lf++; // the blank line that follows is consumed with it
          onEvent(event);
        } else if (!droppingEvent) {
          // appendData, inlined: this is the per-line cost of every multi-line event.
          data = hasData ? `${data}\n${value}` : value;
          hasData = true;
          if (data.length > maxBufferSize) dropEvent();
        }
      } else if (
        first === 101 /* e */ &&
        chunk.charCodeAt(pos + 1) === 118 &&
        chunk.charCodeAt(pos + 2) === 101 &&
        chunk.charCodeAt(pos + 3) === 110 &&
        chunk.charCodeAt(pos + 4) === 116 &&
        chunk.charCodeAt(pos + 5) === COLON
      ) {
        // `event:` and `id:` inlined too: named events with ids then cost no call per line.
        eventType = chunk.slice(chunk.charCodeAt(pos + 6) === SPACE && pos + 6 < lf ? pos + 7 : pos + 6, lf);
      } else if (
        first === 105 /* i */ &&
        chunk.charCodeAt(pos + 1) === 100 &&
        chunk.charCodeAt(pos + 2) === COLON
      ) {
        const value = chunk.slice(
          chunk.charCodeAt(pos + 3) === SPACE && pos + 3 < lf ? pos + 4 : pos + 3,
          lf,
        );
        // Spec: "If the field value does not contain U+0000 NULL, then set the last event ID buffer".
        if (value.indexOf('\0') === -1) idBuffer = value;
      } else processLine(chunk, pos, lf);
      if (generation !== feedGeneration) return -1;
      pos = lf + 1;
      lf = chunk.indexOf('\n', pos);
    }
    return pos;
  }

  // Lines that may end in CR, LF or CRLF (a CR was seen in the rest of the chunk). Like feedLfOnly,
  // the hot fields (`data:`, `event:`, `id:`) and the blank line are handled here without a call
  // per line; the loop falls back to feedLfOnly as soon as no CR is left in the chunk.
  // Returns where the unfinished remainder starts, or -1 when the feed must stop (a callback reset
  // the parser, or the chunk ended in CR whose LF may open the next chunk).
  function feedLines(chunk: string, pos: number, lf: number, cr: number, feedGeneration: number): number {
    const length = chunk.length;
    while (cr !== -1) {
      const end = lf !== -1 && lf < cr ? lf : cr;
      if (end === pos) dispatch();
      else if (end - pos > maxBufferSize) reportLineOverflow();
      else {
        const first = chunk.charCodeAt(pos);
        if (
          first === 100 /* d */ &&
          chunk.charCodeAt(pos + 1) === 97 &&
          chunk.charCodeAt(pos + 2) === 116 &&
          chunk.charCodeAt(pos + 3) === 97 &&
          chunk.charCodeAt(pos + 4) === COLON
        ) {
          if (!droppingEvent) {
            const value = chunk.slice(
              chunk.charCodeAt(pos + 5) === SPACE && pos + 5 < end ? pos + 6 : pos + 5,
              end,
            );
            // The line end, and the blank line right after it when there is one (CR, LF or CRLF):
            // a single-line event is then dispatched directly, saving a loop turn and its searches.
            let next = end + 1;
            if (end === cr && chunk.charCodeAt(next) === LF) next++;
            const blank = chunk.charCodeAt(next);
            if (!hasData && (blank === LF || blank === CR) && next < length - 1) {
              parser.lastEventId = idBuffer;
              const event: ParsedEvent = {
                id: idBuffer,
                event: eventType === '' ? 'message' : eventType,
                data: value,
              };
              eventType = '';
              pos = next + (blank === CR && chunk.charCodeAt(next + 1) === LF ? 2 : 1);
              onEvent(event);
              if (generation !== feedGeneration) return -1;
              if (cr < pos) cr = chunk.indexOf('\r', pos);
              if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
              continue;
            }
            // appendData, inlined: this is the per-line cost of every multi-line event.
            data = hasData ? `${data}\n${value}` : value;
            hasData = true;
            if (data.length > maxBufferSize) dropEvent();
          }
        } else if (
          first === 101 /* e */ &&
          chunk.charCodeAt(pos + 1) === 118 &&
          chunk.charCodeAt(pos + 2) === 101 &&
          chunk.charCodeAt(pos + 3) === 110 &&
          chunk.charCodeAt(pos + 4) === 116 &&
          chunk.charCodeAt(pos + 5) === COLON
        ) {
          eventType = chunk.slice(
            chunk.charCodeAt(pos + 6) === SPACE && pos + 6 < end ? pos + 7 : pos + 6,
            end,
          );
        } else if (
          first === 105 /* i */ &&
          chunk.charCodeAt(pos + 1) === 100 &&
          chunk.charCodeAt(pos + 2) === COLON
        ) {
          const value = chunk.slice(
            chunk.charCodeAt(pos + 3) === SPACE && pos + 3 < end ? pos + 4 : pos + 3,
            end,
          );
          // Spec: "If the field value does not contain U+0000 NULL, then set the last event ID buffer".
          if (value.indexOf('\0') === -1) idBuffer = value;
        } else processLine(chunk, pos, end);
      }
      if (generation !== feedGeneration) return -1;
      pos = end + 1;
      if (end === cr) {
        if (pos === length) {
          // Spec: CRLF is one line end even when the CR and the LF arrive in different chunks.
          skipLeadingLf = true;
          return -1;
        }
        if (chunk.charCodeAt(pos) === LF) pos++;
        cr = chunk.indexOf('\r', pos);
      }
      if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
    }
    return lf === -1 ? pos : feedLfOnly(chunk, pos, lf, feedGeneration);
  }

  // A line was pending and this chunk ends it (at the first of `lf` and `cr`, either may be -1).
  // The pending pieces and the whole chunk are joined into one flat string that the line loops
  // then parse in place, so the completed line gets the same inlined handling as any other, with
  // no extra slice or call. The search restarts past the pending part (known to hold no line end),
  // so no character is searched twice.
  function finishPendingLine(chunk: string, lf: number, cr: number, feedGeneration: number): void {
    const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
    if (skippingLine || pendingLength + end > maxBufferSize) {
      // Checked before joining, so an oversized line is never built as one string.
      if (!skippingLine) reportLineOverflow();
      skippingLine = false;
      clearPending();
      let pos = end + 1;
      if (end === cr) {
        if (pos === chunk.length) {
          skipLeadingLf = true;
          return;
        }
        if (chunk.charCodeAt(pos) === LF) pos++;
        cr = chunk.indexOf('\r', pos);
      }
      if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
      feedRest(chunk, pos, lf, cr, feedGeneration);
      return;
    }
    const offset = pendingLength;
    pendingParts.push(chunk);
    const text = pendingParts.join('');
    clearPending();
    feedRest(text, 0, lf === -1 ? -1 : lf + offset, cr === -1 ? -1 : cr + offset, feedGeneration);
  }

  // Parses chunk[pos..] whose first LF and CR are `lf` and `cr`, and keeps its unfinished remainder.
  function feedRest(chunk: string, pos: number, lf: number, cr: number, feedGeneration: number): void {
    if (cr !== -1) pos = feedLines(chunk, pos, lf, cr, feedGeneration);
    else if (lf !== -1) pos = feedLfOnly(chunk, pos, lf, feedGeneration);
    if (pos !== -1 && pos < chunk.length) keepPending(pos === 0 ? chunk : chunk.slice(pos));
  }

  function feed(chunk: string): void {
    if (typeof chunk !== 'string') {
      throw new TypeError(
        '@app/sse-protocol: feed() takes decoded text; decode bytes first (TextDecoder with { stream: true }) or use createParserStream()',
      );
    }
    if (pendingLength !== 0 || skippingLine) {
      // A line is pending (so the stream has started and no CR ended the previous chunk). The
      // common case in small reads, "this read ends no line", is handled here without a call.
      const lf = chunk.indexOf('\n');
      const cr = chunk.indexOf('\r');
      if (lf === -1 && cr === -1) {
        if (skippingLine) return;
        pendingLength += chunk.length;
        if (pendingLength > maxBufferSize) overflowPending();
        else pendingParts.push(chunk);
        return;
      }
      finishPendingLine(chunk, lf, cr, generation);
      return;
    }
    if (chunk.length === 0) return;
    let pos = 0;
    if (!started) {
      started = true;
      // Spec: "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
      if (chunk.charCodeAt(0) === BOM) pos = 1;
    }
    if (skipLeadingLf) {
      // Spec: CRLF is one line end even when the CR and the LF arrive in different chunks.
      skipLeadingLf = false;
      if (chunk.charCodeAt(pos) === LF) pos++;
    }
    feedRest(chunk, pos, chunk.indexOf('\n', pos), chunk.indexOf('\r', pos), generation);
  }

  function reset(): void {
    generation++;
    clearPending();
    skippingLine = false;
    started = false;
    skipLeadingLf = false;
    data = '';
    hasData = false;
    droppingEvent = false;
    eventType = '';
    idBuffer = parser.lastEventId;
  }

  return parser;
}
