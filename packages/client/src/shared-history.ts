import type { RoutedEvent } from './dispatch';

/** The most events a tab keeps of the shared stream (as many as it remembers IDs of, to drop duplicates). */
export const SHARED_HISTORY_MAX_EVENTS = 1024;
/** The most data, in UTF-16 code units, a tab keeps of the shared stream's recent events. */
export const SHARED_HISTORY_MAX_CHARS = 4 * 1024 * 1024;

/** The recent events of a shared stream, for a tab that joins from an earlier event ID. */
export interface SharedHistory {
  /** Keeps one event (the oldest go past {@link SHARED_HISTORY_MAX_EVENTS} events or the size bound). */
  record(event: RoutedEvent): void;
  /**
   * The events after the last one with ID `id`, oldest first; `[]` for `''` (nothing to catch
   * up); `undefined` when no kept event has that ID (nor did the history start from it).
   */
  after(id: string): RoutedEvent[] | undefined;
  /** Whether events were ever dropped to stay within the bounds. */
  readonly trimmed: boolean;
}

/**
 * Creates the history a leading tab serves to tabs that join with a last event ID (a page that
 * loaded a snapshot, then opened the stream from its ID): they get the events they missed from
 * the stream the group already holds, as they would from the server's replay on their own
 * connection. Bounded by count and by data size.
 *
 * @param resumedFrom - the ID this tab's client started from (its `lastEventId` option): the
 * events kept follow it, until the first are dropped
 */
export function createSharedHistory(resumedFrom: string): SharedHistory {
  const events: RoutedEvent[] = [];
  let head = 0; // events[head..] are kept; the array is compacted when half of it is dropped
  let chars = 0;
  let trimmed = false;

  return {
    record(event) {
      events.push(event);
      chars += event.data.length;
      while (
        events.length - head > SHARED_HISTORY_MAX_EVENTS ||
        (chars > SHARED_HISTORY_MAX_CHARS && events.length - head > 1)
      ) {
        chars -= (events[head] as RoutedEvent).data.length;
        head++;
        trimmed = true;
      }
      if (head > SHARED_HISTORY_MAX_EVENTS) {
        events.splice(0, head);
        head = 0;
      }
    },
    after(id) {
      if (id === '') return [];
      for (let index = events.length - 1; index >= head; index--) {
        const event = events[index] as RoutedEvent;
        if (event.ownId && event.id === id) return events.slice(index + 1);
      }
      return id === resumedFrom && !trimmed ? events.slice(head) : undefined;
    },
    get trimmed() {
      return trimmed;
    },
  };
}
