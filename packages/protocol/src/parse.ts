import { isDataField, isEventField, isIdField, valueStart } from './field-prefix';
import { dataOverflow, invalidRetry, lineOverflow, unknownField } from './parse-errors';
import { notDecodedText, resolveParserOptions } from './parser-options';
import type { EventStreamParser, ParsedEvent, ParserOptions } from './parser-types';

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const BOM = 0xfeff;
/** Reads up to this many characters are joined whole to a pending line (see finishPendingLine). */
const JOIN_WHOLE_READ = 512;
const DIGITS = /^[0-9]+$/;

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
  const { onEvent, onLastEventId, onRetry, onComment, onError, maxBufferSize, lastEventId } =
    resolveParserOptions(options);

  // The unfinished line. Only each new chunk is ever searched for line ends, never this: searching
  // the growing line again on every chunk would make a long line in small chunks cost O(n^2). It is
  // grown with `+=`, a V8 rope (one small node per read, no array push, growth or join, and its
  // length is a field): V8 flattens a left-leaning rope in one linear copy at its first character
  // access, when the line ends. In 1-byte reads this made a feed 10-20% cheaper than an array.
  let pending = '';
  let skippingLine = false; // the current line passed maxBufferSize: drop it up to its end
  let started = false; // a BOM is only stripped at the very start of a stream
  let skipLeadingLf = false; // the previous chunk ended in CR: an LF opening the next one belongs to it

  // The data buffer, as its lines, joined with LF once at dispatch: one flat copy, where building
  // `${data}\n${value}` line by line made two rope nodes per line for the consumer's first read to
  // flatten (multi-line events ran at 0.9x of eventsource-parser that way). The array is reused,
  // so it grows once, not per event (emptying it after every event cost multi-line events 10-15%);
  // clearData empties it after an event of over 64 KiB, so it never keeps more of a past event alive.
  const dataLines: string[] = [];
  let dataCount = 0; // lines in the buffer; 0: "data buffer is empty"
  let dataLength = -1; // length of the buffer joined, -1 when empty
  let droppingEvent = false; // the event's data passed maxBufferSize: drop it at its blank line
  let eventType = '';
  let idBuffer = lastEventId;
  // An `id:` field came since the last check at a blank line without data (events never check).
  let idSinceDispatch = false;
  // A plain data property, not a getter: an object literal with an accessor is kept by V8 in a
  // slower shape, and every feed() call would then pay a slow property lookup.
  const parser: EventStreamParser & { lastEventId: string } = { feed, reset, lastEventId: idBuffer };
  let generation = 0; // bumped by reset(): a callback that resets stops the current feed

  function dispatch(): void {
    // Spec: "Set the last event ID string of the event source to the value of the last event ID
    // buffer" happens before the empty-data check, so an id-only block still moves it.
    if (dataCount === 0) {
      // Nothing buffered: a blank line after a comment or an id-only block, or the end of an event
      // whose data was dropped (appendData keeps nothing while dropping).
      droppingEvent = false;
      eventType = '';
      if (idSinceDispatch) moveLastEventId();
      return;
    }
    parser.lastEventId = idBuffer;
    let data = dataLines[0] as string;
    if (dataCount > 1) {
      dataLines.length = dataCount; // drops the slots a longer past event left
      data = dataLines.join('\n');
    }
    const event: ParsedEvent = { id: idBuffer, event: eventType === '' ? 'message' : eventType, data };
    clearData();
    eventType = '';
    onEvent(event);
  }

  // A blank line without data after an `id:` field: the last event ID moves, reported if changed.
  function moveLastEventId(): void {
    idSinceDispatch = false;
    if (parser.lastEventId === idBuffer) return;
    parser.lastEventId = idBuffer;
    if (onLastEventId !== undefined) onLastEventId(idBuffer);
  }

  // A one-line event, dispatched straight from its `data:` line when the blank line follows it.
  function emitSingleLine(value: string): void {
    parser.lastEventId = idBuffer;
    const event: ParsedEvent = { id: idBuffer, event: eventType === '' ? 'message' : eventType, data: value };
    eventType = '';
    onEvent(event);
  }

  function setId(value: string): void {
    // Spec: "If the field value does not contain U+0000 NULL, then set the last event ID buffer".
    if (value.indexOf('\0') === -1) {
      idBuffer = value;
      idSinceDispatch = true;
    }
  }

  function appendData(value: string): void {
    if (droppingEvent) return;
    dataLines[dataCount++] = value;
    dataLength += value.length + 1;
    if (dataLength > maxBufferSize) dropEvent();
  }

  function clearData(): void {
    if (dataLength > 65536) dataLines.length = 0;
    dataCount = 0;
    dataLength = -1;
  }

  // Kept out of appendData so that the hot function stays small enough to be inlined.
  function dropEvent(): void {
    clearData();
    droppingEvent = true;
    onError(dataOverflow(maxBufferSize));
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
        setId(value);
        return;
      case 'retry':
        // Spec: only "ASCII digits" set the reconnection time; anything else is ignored.
        if (DIGITS.test(value)) onRetry(Number.parseInt(value, 10));
        else onError(invalidRetry(value));
        return;
      default:
        onError(unknownField(field));
    }
  }

  // A line past maxBufferSize is skipped. Unless a comment, it is dropped with its event, which
  // would arrive wrong without it (spliced data, another type, a stale ID), like oversized data.
  function overflowLine(first: number): void {
    if (first !== COLON) {
      clearData();
      droppingEvent = true;
    }
    onError(lineOverflow(maxBufferSize));
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
      overflowLine(s.charCodeAt(start));
      return;
    }
    const first = s.charCodeAt(start);
    if (first === COLON) {
      if (onComment !== undefined) onComment(s.slice(valueStart(s, start + 1), end));
      return;
    }
    // Line ends are CR or LF, and past the string charCodeAt is NaN, so prefix checks cannot match
    // beyond `end`. Spec: "If value starts with a U+0020 SPACE character, remove it from value."
    if (isDataField(s, start, first)) appendData(s.slice(valueStart(s, start + 5), end));
    else if (isEventField(s, start, first)) eventType = s.slice(valueStart(s, start + 6), end);
    else if (isIdField(s, start, first)) setId(s.slice(valueStart(s, start + 3), end));
    else processOtherLine(s.slice(start, end)); // sliced first: the colon search stops at its end
  }

  function processOtherLine(line: string): void {
    const colon = line.indexOf(':');
    // Spec: a line without a colon is a field name with the empty string as its value.
    if (colon === -1) processField(line, '');
    else
      processField(
        line.slice(0, colon),
        line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1),
      );
  }

  function keepPending(piece: string): void {
    if (skippingLine) return;
    if (pending.length + piece.length > maxBufferSize) overflowPending(piece);
    else pending += piece;
  }

  // Kept out of the hot paths that grow the unfinished line, which stay small enough to inline.
  function overflowPending(piece: string): void {
    const first = (pending || piece).charCodeAt(0);
    clearPending();
    skippingLine = true;
    overflowLine(first);
  }

  function clearPending(): void {
    pending = '';
  }

  // The common case, no CR in the rest of the chunk: only LF ends lines, so one indexOf per line.
  // The hot fields (`data:`, `event:`, `id:`) and the blank line cost no call per line. A `data:`
  // line directly followed by the blank line is dispatched without going through the data buffer,
  // which saves a line of work per single-line event (nearly every JSON event).
  // Returns where the unfinished remainder starts, or -1 when a callback reset the parser.
  function feedLfOnly(chunk: string, pos: number, lf: number, feedGeneration: number): number {
    while (lf !== -1) {
      const first = chunk.charCodeAt(pos);
      if (lf === pos) dispatch();
      else if (lf - pos > maxBufferSize) overflowLine(first);
      else if (isDataField(chunk, pos, first)) {
        const value = chunk.slice(valueStart(chunk, pos + 5), lf);
        if (dataCount === 0 && !droppingEvent && chunk.charCodeAt(lf + 1) === LF) {
          lf++; // the blank line that follows is consumed with it
          emitSingleLine(value);
        } else if (!droppingEvent) {
          // appendData, inlined: a line of multi-line data then costs no call.
          dataLines[dataCount++] = value;
          dataLength += value.length + 1;
          if (dataLength > maxBufferSize) dropEvent();
        }
      } else if (isEventField(chunk, pos, first)) {
        // `event:` and `id:` inlined too: named events with ids then cost no call per line.
        eventType = chunk.slice(valueStart(chunk, pos + 6), lf);
      } else if (isIdField(chunk, pos, first)) {
        setId(chunk.slice(valueStart(chunk, pos + 3), lf));
      } else if (first !== COLON || onComment !== undefined) processLine(chunk, pos, lf);
      else if (dataCount === 0 && !idSinceDispatch && chunk.charCodeAt(lf + 1) === LF) {
        // A heartbeat, a comment and the blank line after it (`: ping\n\n`), costs no call and one
        // line search: with no data buffered and no new ID, the blank line only does this then.
        lf++;
        droppingEvent = false;
        eventType = '';
      }
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
      else if (end - pos > maxBufferSize) overflowLine(chunk.charCodeAt(pos));
      else {
        const first = chunk.charCodeAt(pos);
        if (isDataField(chunk, pos, first)) {
          if (!droppingEvent) {
            const value = chunk.slice(valueStart(chunk, pos + 5), end);
            // The line end, and the blank line right after it when there is one (CR, LF or CRLF):
            // a single-line event is then dispatched directly, saving a loop turn and its searches.
            let next = end + 1;
            if (end === cr && chunk.charCodeAt(next) === LF) next++;
            const blank = chunk.charCodeAt(next);
            if (dataCount === 0 && (blank === LF || blank === CR) && next < length - 1) {
              pos = next + (blank === CR && chunk.charCodeAt(next + 1) === LF ? 2 : 1);
              emitSingleLine(value);
              if (generation !== feedGeneration) return -1;
              if (cr < pos) cr = chunk.indexOf('\r', pos);
              if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
              continue;
            }
            appendData(value);
          }
        } else if (isEventField(chunk, pos, first)) {
          eventType = chunk.slice(valueStart(chunk, pos + 6), end);
        } else if (isIdField(chunk, pos, first)) {
          setId(chunk.slice(valueStart(chunk, pos + 3), end));
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
  // A small read is joined whole to the pending line and parsed by the line loops (a copy of a
  // few hundred characters costs less than a call). From a larger read only the line is joined and
  // processed, and the read is parsed in place after it: copying a whole read to complete its first
  // line cost more than parsing the line (small events in 4 KiB reads ran at 0.8x of
  // eventsource-parser that way).
  function finishPendingLine(chunk: string, lf: number, cr: number, feedGeneration: number): void {
    const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
    if (skippingLine || pending.length + end > maxBufferSize) {
      // Checked before joining, so an oversized line is never built as one string.
      if (!skippingLine) overflowLine((pending || chunk).charCodeAt(0));
      skippingLine = false;
      clearPending();
      if (generation !== feedGeneration) return; // onError reset the parser: this feed stops
    } else if (chunk.length <= JOIN_WHOLE_READ) {
      const offset = pending.length;
      const text = pending + chunk;
      clearPending();
      feedRest(text, 0, lf === -1 ? -1 : lf + offset, cr === -1 ? -1 : cr + offset, feedGeneration);
      return;
    } else {
      const line = end > 0 ? pending + chunk.slice(0, end) : pending;
      clearPending();
      processLine(line, 0, line.length);
      if (generation !== feedGeneration) return;
    }
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
  }

  // Parses chunk[pos..] whose first LF and CR are `lf` and `cr`, and keeps its unfinished remainder.
  function feedRest(chunk: string, pos: number, lf: number, cr: number, feedGeneration: number): void {
    if (cr !== -1) pos = feedLines(chunk, pos, lf, cr, feedGeneration);
    else if (lf !== -1) pos = feedLfOnly(chunk, pos, lf, feedGeneration);
    if (pos !== -1 && pos < chunk.length) keepPending(pos === 0 ? chunk : chunk.slice(pos));
  }

  function feed(chunk: string): void {
    if (typeof chunk !== 'string') throw notDecodedText();
    if (pending.length !== 0 || skippingLine) {
      // A line is pending (so the stream has started and no CR ended the previous chunk). The
      // common case in small reads, "this read ends no line", is handled here without a call.
      const lf = chunk.indexOf('\n');
      const cr = chunk.indexOf('\r');
      if (lf === -1 && cr === -1) {
        if (skippingLine) return;
        if (pending.length + chunk.length > maxBufferSize) overflowPending(chunk);
        else pending += chunk;
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
    clearData();
    droppingEvent = false;
    eventType = '';
    idBuffer = parser.lastEventId;
    idSinceDispatch = false;
  }

  return parser;
}
