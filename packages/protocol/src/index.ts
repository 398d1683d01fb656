// The runtime entry point: the catalog, the wire encoder and parser, the protocol's own events.
// What only servers and tooling need (fingerprints, JSON Schema, AsyncAPI, contracts and their
// compatibility) is the `@app/sse-protocol/contract` entry point (contract-index.ts), so that a
// browser bundle never carries it, nor zod's JSON Schema generator it is built on.
export {
  defineEvents,
  type EventCatalog,
  type EventData,
  type EventInput,
  type EventName,
  type EventSchemas,
  type EventUnion,
  type EventUnionOf,
  type InputEventUnionOf,
  isEventCatalog,
  type SafeParseEventResult,
} from './catalog';
export {
  assertFieldValue,
  assertRetry,
  encodeComment,
  encodeData,
  encodeEvent,
  encodeRetry,
  type WireEvent,
} from './encode';
export {
  EventValidationError,
  formatPath,
  isEventValidationError,
  isProtocolError,
  ProtocolError,
  type ProtocolErrorCode,
} from './errors';
export {
  createEpoch,
  type EventPosition,
  formatEventId,
  isEpoch,
  MAX_EVENT_ID_LENGTH,
  parseEventId,
} from './event-id';
export { assertEventName, RESERVED_PREFIX } from './event-name';
export { type NumberRange, numberOptionProblem } from './option-checks';
export { createParser } from './parse';
export {
  DEFAULT_MAX_BUFFER_SIZE,
  type EventStreamParser,
  type ParsedEvent,
  type ParserOptions,
} from './parser-types';
export { isSseError, SseError } from './sse-error';
export { createParserStream, type ParserStreamOptions } from './stream';
export {
  EVENT_STREAM_CONTENT_TYPE,
  HELLO_EVENT,
  type HelloData,
  helloSchema,
  LAST_EVENT_ID_HEADER,
  LAST_EVENT_ID_QUERY,
  RESET_EVENT,
  type ResetData,
  type ResetReason,
  resetReasonSchema,
  resetSchema,
} from './system-events';
export { clampDelay, MAX_TIMER_DELAY_MS } from './timer-limit';
