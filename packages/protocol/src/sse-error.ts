const brand = Symbol.for('@app/sse/error');

/**
 * The base of every error the SDK's packages throw or report: `ProtocolError`, `SseServerError`
 * and `SseClientError` extend it. Each has a literal `code` to switch on, a `reason` (the message
 * without its package prefix) and a structured `detail`, so no code ever has to parse a message.
 *
 * @typeParam Code - the package's union of reasons
 * @typeParam Detail - what the package tells beside the code (the HTTP status, the event name, ...)
 * @example
 * ```ts
 * client.onError((error) => {
 *   if (isSseError(error)) log.warn({ code: error.code, ...error.detail }, error.reason);
 * });
 * ```
 */
export class SseError<Code extends string = string, Detail extends object = object> extends Error {
  /** Why it failed, as a literal the package documents. */
  readonly code: Code;
  /** What happened, without the `@app/sse-...: ` prefix of `message`. */
  readonly reason: string;
  /** Structured facts about the failure; the package's error class documents its fields. */
  readonly detail: Detail;
  readonly [brand] = true;

  /**
   * @param origin - the package name, the prefix of `message`
   * @param code - the reason code
   * @param reason - what happened, without the prefix
   * @param detail - structured facts
   * @param cause - the underlying error or data, if any
   */
  constructor(origin: string, code: Code, reason: string, detail: Detail, cause?: unknown) {
    super(`${origin}: ${reason}`, cause === undefined ? undefined : { cause });
    this.code = code;
    this.reason = reason;
    this.detail = detail;
  }
}

/**
 * Whether `value` is an error of any of the SDK's packages. Checks a brand rather than
 * `instanceof`, so it also holds for errors from another copy of a package.
 *
 * @param value - anything caught
 * @example
 * ```ts
 * try { await sse.broadcast('notification', payload); }
 * catch (error) { if (isSseError(error)) console.log(error.code, error.detail); }
 * ```
 */
export function isSseError(value: unknown): value is SseError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}
