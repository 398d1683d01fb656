import { ProtocolError } from './errors';

/** The fields of one event on the wire. */
export interface WireEvent {
  /** Sets the client's last event ID. Must not contain CR, LF, NUL or a lone surrogate. */
  id?: string;
  /**
   * The event type (the client's `message` when absent). Must not be empty or contain CR, LF, NUL
   * or a lone surrogate.
   */
  event?: string;
  /**
   * The payload text; CR, LF and CRLF in it become separate `data:` lines and arrive as LF. Must not
   * contain a lone surrogate.
   */
  data: string;
  /** Reconnection time in milliseconds: a non-negative safe integer. */
  retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;
const FORBIDDEN_IN_FIELD = /[\r\n\0]/;

/**
 * Throws unless `value` can travel in a single `id:` or `event:` line: a CR or LF would end the
 * line early and let the rest inject fields or whole events (a recurring CVE class in SSE
 * servers); a NUL makes browsers ignore an `id`; a lone surrogate would arrive changed.
 *
 * @param field - the field name, for the message
 * @param value - the value to check
 */
export function assertFieldValue(field: 'id' | 'event', value: string): void {
  if (typeof value !== 'string') {
    throw new ProtocolError('invalid-field', `${field} must be a string, got ${typeof value}`);
  }
  if (FORBIDDEN_IN_FIELD.test(value)) {
    throw new ProtocolError(
      'invalid-field',
      `${field} ${JSON.stringify(value)} contains CR, LF or NUL, which would break the event stream`,
    );
  }
  if (!value.isWellFormed()) {
    // The stream is UTF-8 (spec: "Event streams are always decoded as UTF-8"), which cannot carry a
    // lone surrogate: it would arrive as U+FFFD, and a client would resume from an ID never sent.
    throw new ProtocolError(
      'invalid-field',
      `${field} ${JSON.stringify(value)} contains a lone surrogate, which UTF-8 cannot carry`,
    );
  }
  if (field === 'event' && value === '') {
    throw new ProtocolError('invalid-field', 'event must not be empty; omit it to send a "message" event');
  }
}

/**
 * Throws unless `retry` is a non-negative safe integer (the spec only accepts ASCII digits).
 *
 * @param retry - reconnection time in milliseconds
 */
export function assertRetry(retry: number): void {
  if (!Number.isSafeInteger(retry) || retry < 0) {
    throw new ProtocolError(
      'invalid-field',
      `retry must be a non-negative integer of milliseconds, got ${retry}`,
    );
  }
}

/**
 * Encodes the `data:` lines of a payload: one line per line of `data`, split on CR, LF and CRLF.
 * Every line is written as `data: <line>`: the parser removes exactly one leading space, so a
 * payload that itself starts with a space survives.
 *
 * @param data - the payload text
 * @throws {@link ProtocolError} `invalid-field` for a lone surrogate (UTF-8 cannot carry it)
 */
export function encodeData(data: string): string {
  if (!data.isWellFormed()) {
    // As for an id (see assertFieldValue): UTF-8 cannot carry it, it would arrive as U+FFFD.
    // JSON.stringify escapes lone surrogates, so a serialised payload never has one.
    throw new ProtocolError('invalid-field', 'data contains a lone surrogate, which UTF-8 cannot carry');
  }
  // Fast path: a JSON payload has no raw line breaks (JSON.stringify escapes them).
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `data: ${data}\n`;
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

/**
 * Encodes one event, ending with the blank line that dispatches it.
 *
 * @param event - `{ id?, event?, data, retry? }`
 * @returns the event's wire text
 * @throws {@link ProtocolError} `invalid-field` for an `id` or `event` holding CR, LF or NUL, an
 * empty `event`, a `retry` that is not a non-negative integer, or a lone surrogate anywhere
 *
 * @example
 * ```ts
 * encodeEvent({ id: '1', event: 'notification', data: '{"message":"hi"}' });
 * // 'id: 1\nevent: notification\ndata: {"message":"hi"}\n\n'
 * ```
 */
export function encodeEvent(event: WireEvent): string {
  let out = '';
  if (event.id !== undefined) {
    assertFieldValue('id', event.id);
    out += `id: ${event.id}\n`;
  }
  if (event.event !== undefined) {
    assertFieldValue('event', event.event);
    out += `event: ${event.event}\n`;
  }
  if (event.retry !== undefined) {
    assertRetry(event.retry);
    out += `retry: ${event.retry}\n`;
  }
  if (typeof event.data !== 'string') {
    throw new ProtocolError(
      'invalid-field',
      `data must be a string, got ${typeof event.data}; serialise it first`,
    );
  }
  return `${out}${encodeData(event.data)}\n`;
}

/**
 * Encodes a comment (ignored by clients; used for heartbeats and to flush proxies). Every line of
 * `text` becomes its own comment line, so a comment can never start a field or an event.
 *
 * @param text - the comment text @defaultValue `''`
 *
 * @example
 * ```ts
 * encodeComment('ping'); // ': ping\n'
 * ```
 */
export function encodeComment(text = ''): string {
  if (text === '') return ':\n';
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += line === '' ? ':\n' : `: ${line}\n`;
  return out;
}

/**
 * Encodes a lone `retry:` field, which sets the client's reconnection time without an event.
 *
 * @param retryMs - reconnection time in milliseconds, a non-negative integer
 *
 * @example
 * ```ts
 * encodeRetry(3000); // 'retry: 3000\n'
 * ```
 */
export function encodeRetry(retryMs: number): string {
  assertRetry(retryMs);
  return `retry: ${retryMs}\n`;
}
