/**
 * The range a numeric option must be in, for {@link numberOptionProblem}.
 *
 * @example
 * ```ts
 * const retryRange: NumberRange = { min: 0, max: MAX_TIMER_DELAY_MS, integer: true };
 * ```
 */
export interface NumberRange {
  /** The smallest value allowed. */
  readonly min: number;
  /** Whether `min` itself is allowed. @defaultValue `true` */
  readonly minInclusive?: boolean;
  /** The largest finite value allowed. @defaultValue `Number.MAX_SAFE_INTEGER` */
  readonly max?: number;
  /** Whether only integers are allowed. @defaultValue `false` */
  readonly integer?: boolean;
  /** Whether `Infinity` is allowed (no bound). @defaultValue `false` */
  readonly infinity?: boolean;
}

/**
 * Why `value` cannot be the numeric option `name`, or `undefined` when it can. Every package checks
 * its numeric options with this one function and throws its own error class with the code
 * `invalid-option`, so the same mistake reads the same in the server, the client and the parser.
 *
 * @param name - the option's name as the user writes it (`heartbeatMs`, `backoff.factor`)
 * @param value - the value given
 * @param range - what is allowed
 * @returns the problem in one sentence, or `undefined`
 * @example
 * ```ts
 * numberOptionProblem('maxClients', -1, { min: 0, integer: true, infinity: true });
 * // 'maxClients must be an integer at least 0, or Infinity, got -1'
 * ```
 */
export function numberOptionProblem(name: string, value: unknown, range: NumberRange): string | undefined {
  const {
    min,
    minInclusive = true,
    max = Number.MAX_SAFE_INTEGER,
    integer = false,
    infinity = false,
  } = range;
  if (typeof value === 'number') {
    if (value === Number.POSITIVE_INFINITY) {
      if (infinity) return undefined;
    } else if (
      (minInclusive ? value >= min : value > min) &&
      value <= max &&
      (!integer || Number.isInteger(value))
    ) {
      return undefined;
    }
  }
  const lower = minInclusive ? `at least ${min}` : `above ${min}`;
  const upper = max === Number.MAX_SAFE_INTEGER ? '' : ` and at most ${max}`;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${name} must be ${integer ? 'an integer' : 'a number'} ${lower}${upper}${infinity ? ', or Infinity' : ''}, got ${shown}`;
}
