import { createParser } from '@app/sse-protocol';
import { createParser as createEventsourceParser } from 'eventsource-parser';

/** One event as both parsers report it, normalised for comparison. */
export interface ComparableEvent {
  id: string;
  event: string;
  data: string;
}

/** A parser under test: parses a whole pre-chunked stream and returns how many events it dispatched. */
export interface ParserContender {
  /** Name in the report. */
  name: string;
  /** The timed operation: a fresh parser fed every chunk, each event counted and its data read. */
  countEvents(chunks: readonly string[]): number;
  /** The untimed check: every event, for comparing both parsers' output. */
  collectEvents(chunks: readonly string[]): ComparableEvent[];
}

/** What both parsers have in common: a factory taking `onEvent`, returning `{ feed }`. */
type ParserFactory<E> = (options: { onEvent: (event: E) => void }) => { feed(chunk: string): void };

/** The untimed check, shared: every event, normalised. */
function collector<E>(create: ParserFactory<E>, normalise: (event: E) => ComparableEvent) {
  return (chunks: readonly string[]): ComparableEvent[] => {
    const events: ComparableEvent[] = [];
    const parser = create({ onEvent: (event) => events.push(normalise(event)) });
    for (const chunk of chunks) parser.feed(chunk);
    return events;
  };
}

// The timed consumer reads the last character of each event's data, as every application reads
// the data (JSON.parse, a render): a parser that hands over a rope of pieces (a V8 cons string,
// built by `a + b` line after line) leaves the copy into one flat string to that first read, and a
// benchmark that only counted events would never charge it. Reading one character makes V8 flatten
// the string once, as JSON.parse would, and costs nothing more for a string that is already flat.
//
// The timed operations are written once per parser on purpose. One shared function would make
// its `parser.feed(...)` and `onEvent` call sites see both parsers, and V8 would optimise them for
// two shapes (polymorphic inline caches), a cost that depends on which parser ran first and that
// neither parser has in an application. Each contender gets call sites of its own.

function countOurs(chunks: readonly string[]): number {
  let count = 0;
  let read = 0;
  const parser = createParser({
    onEvent: (event) => {
      count++;
      read += event.data.charCodeAt(event.data.length - 1) | 0;
    },
  });
  for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i] as string);
  return read < 0 ? read : count;
}

function countTheirs(chunks: readonly string[]): number {
  let count = 0;
  let read = 0;
  const parser = createEventsourceParser({
    onEvent: (event) => {
      count++;
      read += event.data.charCodeAt(event.data.length - 1) | 0;
    },
  });
  for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i] as string);
  // `read` is returned in the count's place when it is negative, which it never is: the sum stays
  // observable so that no compiler can drop the reads.
  return read < 0 ? read : count;
}

/**
 * `createParser` from `@app/sse-protocol`, through its public API only.
 *
 * @example
 * ```ts
 * ours.countEvents(['data: a\n\n']); // 1
 * ```
 */
export const ours: ParserContender = {
  name: '@app/sse-protocol',
  countEvents: countOurs,
  collectEvents: collector(createParser, (e) => ({ id: e.id, event: e.event, data: e.data })),
};

/**
 * `createParser` from `eventsource-parser` v3, the reference. It reports `id` only for events that
 * carry one and `event` only when set, so both are normalised to the spec's defaults for comparison.
 *
 * @example
 * ```ts
 * theirs.countEvents(['data: a\n\n']); // 1
 * ```
 */
export const theirs: ParserContender = {
  name: 'eventsource-parser',
  countEvents: countTheirs,
  collectEvents: collector(createEventsourceParser, (e) => ({
    id: e.id ?? '',
    event: e.event ?? 'message',
    data: e.data,
  })),
};
