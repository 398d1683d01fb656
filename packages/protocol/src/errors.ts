import type { core } from 'zod';
import { SseError } from './sse-error';

/**
 * Every reason `@app/sse-protocol` reports or throws, as a literal union so callers can switch on it.
 *
 * - `invalid-event-name`: a catalog or wire event name that could not travel in an `event:` field.
 * - `reserved-event-name`: a catalog name under the protocol's own `sse:` prefix.
 * - `unknown-event`: a payload for an event the catalog does not define.
 * - `validation-failed`: a payload that does not match its event's schema.
 * - `invalid-field`: an `id`, `event` or `retry` value the encoder refuses (CR, LF, NUL, not an integer).
 * - `buffer-overflow`: the parser discarded a line or event larger than `maxBufferSize`.
 * - `invalid-retry`: a `retry:` field whose value is not ASCII digits (ignored, per the spec).
 * - `unknown-field`: a field name the spec does not define (ignored, per the spec).
 * - `invalid-option`: a function of this package was called with arguments it cannot work with.
 * - `invalid-contract`: a value given as a catalog contract is not one (`readContract`).
 */
export type ProtocolErrorCode =
  | 'invalid-event-name'
  | 'reserved-event-name'
  | 'unknown-event'
  | 'validation-failed'
  | 'invalid-field'
  | 'buffer-overflow'
  | 'invalid-retry'
  | 'unknown-field'
  | 'invalid-option'
  | 'invalid-contract';

const brand = Symbol.for('@app/sse-protocol/error');

/**
 * The one error class of `@app/sse-protocol`. Its message starts with the package name and says
 * what to do; `code` tells the reason.
 *
 * @example
 * ```ts
 * try { encodeEvent({ id: 'a\nb', data: '' }); }
 * catch (error) { if (isProtocolError(error)) console.log(error.code); } // 'invalid-field'
 * ```
 */
export class ProtocolError<Detail extends object = object> extends SseError<ProtocolErrorCode, Detail> {
  readonly [brand] = true;

  /**
   * @param code - the reason, see {@link ProtocolErrorCode}
   * @param message - what happened, without the package prefix
   * @param options - `cause`: the underlying error or data; `detail`: structured facts (default `{}`)
   */
  constructor(code: ProtocolErrorCode, message: string, options: { cause?: unknown; detail?: Detail } = {}) {
    super('@app/sse-protocol', code, message, options.detail ?? ({} as Detail), options.cause);
    this.name = 'ProtocolError';
  }
}

/**
 * A payload that does not match its event's schema, or an event the catalog does not define.
 * The message names the event, the failing path and the reason in one line; `cause` holds the
 * zod issues.
 *
 * @example
 * ```ts
 * const result = events.safeParse('user:joined', { userId: 1 });
 * if (!result.success) console.log(result.error.message);
 * // @app/sse-protocol: invalid "user:joined" payload: data.userId: expected string, received number
 * ```
 */
export class EventValidationError extends ProtocolError<{
  readonly event: string;
  readonly paths: readonly string[];
}> {
  /** The event name whose payload failed. */
  readonly event: string;
  /** Each failing path, formatted like `data.items[0].name`. */
  readonly paths: readonly string[];
  declare readonly cause: readonly core.$ZodIssue[];

  /**
   * @param event - the event name
   * @param issues - the zod issues (empty for an unknown event)
   * @param code - `validation-failed` or `unknown-event`
   */
  constructor(
    event: string,
    issues: readonly core.$ZodIssue[],
    code: 'validation-failed' | 'unknown-event' = 'validation-failed',
  ) {
    const paths = issues.map((issue) => formatPath(issue.path));
    // A custom zod message may span lines; the error message stays one line (logs, headers).
    const failures = issues
      .map((issue, index) => `${paths[index]}: ${issue.message.replace(/\s*[\r\n]+\s*/g, ' ')}`)
      .join('; ');
    super(
      code,
      code === 'unknown-event'
        ? `unknown event ${JSON.stringify(event)}: the catalog does not define it`
        : `invalid ${JSON.stringify(event)} payload: ${failures}`,
      { cause: issues, detail: { event, paths } },
    );
    this.name = 'EventValidationError';
    this.event = event;
    this.paths = paths;
  }
}

/**
 * Formats a zod issue path as `data.items[0].name` (`data` is the payload root).
 *
 * @param path - the issue path
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = 'data';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * Whether `value` is a {@link ProtocolError} (also across bundle copies of this package).
 *
 * @param value - anything caught
 */
export function isProtocolError(value: unknown): value is ProtocolError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/**
 * Whether `value` is an {@link EventValidationError}.
 *
 * @param value - anything caught
 */
export function isEventValidationError(value: unknown): value is EventValidationError {
  return isProtocolError(value) && (value.code === 'validation-failed' || value.code === 'unknown-event');
}
