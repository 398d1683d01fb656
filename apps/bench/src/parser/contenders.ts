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
  /** The timed operation: a fresh parser fed every chunk, each event counted. */
  countEvents(chunks: readonly string[]): number;
  /** The untimed check: every event, for comparing both parsers' output. */
  collectEvents(chunks: readonly string[]): ComparableEvent[];
}

/** What both parsers have in common: a factory taking `onEvent`, returning `{ feed }`. */
type ParserFactory<E> = (options: { onEvent: (event: E) => void }) => { feed(chunk: string): void };

function contender<E>(
  name: string,
  create: ParserFactory<E>,
  normalise: (event: E) => ComparableEvent,
): ParserContender {
  return {
    name,
    countEvents(chunks) {
      let count = 0;
      const parser = create({
        onEvent: () => {
          count++;
        },
      });
      for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i] as string);
      return count;
    },
    collectEvents(chunks) {
      const events: ComparableEvent[] = [];
      const parser = create({ onEvent: (event) => events.push(normalise(event)) });
      for (const chunk of chunks) parser.feed(chunk);
      return events;
    },
  };
}

/**
 * `createParser` from `@app/sse-protocol`, through its public API only.
 *
 * @example
 * ```ts
 * ours.countEvents(['data: a\n\n']); // 1
 * ```
 */
export const ours: ParserContender = contender('@app/sse-protocol', createParser, (e) => ({
  id: e.id,
  event: e.event,
  data: e.data,
}));

/**
 * `createParser` from `eventsource-parser` v3, the reference. It reports `id` only for events that
 * carry one and `event` only when set, so both are normalised to the spec's defaults for comparison.
 *
 * @example
 * ```ts
 * theirs.countEvents(['data: a\n\n']); // 1
 * ```
 */
export const theirs: ParserContender = contender('eventsource-parser', createEventsourceParser, (e) => ({
  id: e.id ?? '',
  event: e.event ?? 'message',
  data: e.data,
}));
