import { waitFor } from '@app/test-utils';
import { EventSource } from 'eventsource';
import { expect } from 'vitest';

/** One event as an `EventSource` delivered it. */
export interface ReceivedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** An `EventSource` (the `eventsource` package) that records the named events it receives. */
export interface RecordingEventSource {
  source: EventSource;
  received: ReceivedEvent[];
  /** Received events of one type, data parsed as JSON. */
  dataOf(type: string): unknown[];
  waitFor(type: string, count: number, timeoutMs?: number): Promise<ReceivedEvent[]>;
  close(): void;
}

/**
 * Opens an `EventSource` and records every event of `types`.
 *
 * @param url - the stream URL
 * @param types - event types to listen for
 * @param headers - request headers (through the package's `fetch` option)
 */
export function recordEventSource(
  url: string,
  types: readonly string[],
  headers: Record<string, string> = {},
): RecordingEventSource {
  const source = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers ?? {}), ...headers } }),
  });
  const received: ReceivedEvent[] = [];
  for (const type of types) {
    source.addEventListener(type, (event) => {
      received.push({ type, data: event.data, lastEventId: event.lastEventId });
    });
  }
  const ofType = (type: string) => received.filter((event) => event.type === type);
  return {
    source,
    received,
    dataOf: (type) => ofType(type).map((event) => JSON.parse(event.data) as unknown),
    async waitFor(type, count, timeoutMs = 5000) {
      await waitFor(
        () => expect(ofType(type).length, `${count} "${type}" events`).toBeGreaterThanOrEqual(count),
        { timeoutMs: timeoutMs },
      );
      return ofType(type);
    },
    close: () => source.close(),
  };
}
