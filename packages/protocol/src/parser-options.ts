import { ProtocolError } from './errors';
import { numberOptionProblem } from './option-checks';
import { DEFAULT_MAX_BUFFER_SIZE, type ParsedEvent, type ParserOptions } from './parser-types';

const noop = (): void => {};

/** The parser's options, checked, with every default filled in. */
export interface ResolvedParserOptions {
  onEvent: (event: ParsedEvent) => void;
  /** Left `undefined` when not given. */
  onLastEventId: ((lastEventId: string) => void) | undefined;
  onRetry: (retryMs: number) => void;
  /** Left `undefined` when not given: the parser then skips comments without slicing them. */
  onComment: ((comment: string) => void) | undefined;
  onError: (error: ProtocolError) => void;
  maxBufferSize: number;
  lastEventId: string;
}

/**
 * Checks the options of `createParser` and fills in the defaults.
 *
 * @param options - what the caller passed
 * @throws {@link ProtocolError} `invalid-option` for a function instead of options, or a
 * `maxBufferSize` that is not a positive number
 */
export function resolveParserOptions(options: ParserOptions): ResolvedParserOptions {
  if (typeof options === 'function') {
    throw new ProtocolError(
      'invalid-option',
      'createParser() takes an options object, not a function. Did you mean createParser({ onEvent })?',
    );
  }
  const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
  const problem = numberOptionProblem('maxBufferSize', maxBufferSize, { min: 0, minInclusive: false });
  if (problem !== undefined) throw new ProtocolError('invalid-option', problem);
  return {
    onEvent: options.onEvent ?? noop,
    onLastEventId: options.onLastEventId,
    onRetry: options.onRetry ?? noop,
    onComment: options.onComment,
    onError: options.onError ?? noop,
    maxBufferSize,
    lastEventId: options.lastEventId ?? '',
  };
}

/** The error `feed()` throws when given anything but a string. */
export function notDecodedText(): ProtocolError {
  return new ProtocolError(
    'invalid-option',
    'feed() takes decoded text; decode bytes first (TextDecoder with { stream: true }) or use createParserStream()',
  );
}
