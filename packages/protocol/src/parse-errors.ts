// The errors the stream parser reports, kept apart from its hot loops.
import { ProtocolError } from './errors';

/**
 * An event's data grew past `maxBufferSize`: the event is dropped at its blank line.
 *
 * @param maxBufferSize - the parser's bound
 */
export function dataOverflow(maxBufferSize: number): ProtocolError {
  return new ProtocolError(
    'buffer-overflow',
    `event data exceeded maxBufferSize (${maxBufferSize}); the event was dropped`,
  );
}

/**
 * A line grew past `maxBufferSize`: it is discarded up to its end.
 *
 * @param maxBufferSize - the parser's bound
 */
export function lineOverflow(maxBufferSize: number): ProtocolError {
  return new ProtocolError(
    'buffer-overflow',
    `a line exceeded maxBufferSize (${maxBufferSize}); it was discarded up to its end`,
  );
}

/**
 * A `retry:` field whose value is not only ASCII digits (the spec ignores it).
 *
 * @param value - the field's value
 */
export function invalidRetry(value: string): ProtocolError {
  return new ProtocolError('invalid-retry', `ignored retry field with value ${JSON.stringify(value)}`);
}

/**
 * A field the spec does not define (ignored); long names are cut in the message.
 *
 * @param field - the field's name
 */
export function unknownField(field: string): ProtocolError {
  const shown = field.length > 32 ? `${field.slice(0, 32)}…` : field;
  return new ProtocolError('unknown-field', `ignored unknown field ${JSON.stringify(shown)}`);
}
