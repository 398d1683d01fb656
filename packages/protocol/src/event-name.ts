import { ProtocolError } from './errors';

/** The prefix of the protocol's own events (`sse:hello`, `sse:reset`); catalogs may not use it. */
export const RESERVED_PREFIX = 'sse:';

// C0 controls (CR, LF and NUL among them) and DEL cannot travel in, or would corrupt, an `event:` line.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Throws unless `name` can be a catalog event name: a non-empty, well-formed string without control
 * characters or surrounding whitespace, outside the reserved `sse:` prefix.
 *
 * @param name - the proposed event name
 */
export function assertEventName(name: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new ProtocolError(
      'invalid-event-name',
      `event names must be non-empty strings, got ${JSON.stringify(name)}`,
    );
  }
  if (name.startsWith(RESERVED_PREFIX)) {
    throw new ProtocolError(
      'reserved-event-name',
      `event name ${JSON.stringify(name)} uses the reserved "${RESERVED_PREFIX}" prefix; pick another name`,
    );
  }
  if (CONTROL.test(name) || !name.isWellFormed()) {
    throw new ProtocolError(
      'invalid-event-name',
      `event name ${JSON.stringify(name)} contains control characters or lone surrogates and cannot travel in an "event:" field`,
    );
  }
  if (name.trim() !== name) {
    throw new ProtocolError(
      'invalid-event-name',
      `event name ${JSON.stringify(name)} starts or ends with whitespace; remove it`,
    );
  }
}
