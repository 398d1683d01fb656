import { clockTime } from './display-format';
import { byTestId, h } from './element';

/** One line of the event log. */
export interface LogEntry {
  /** The event name (`notification`, `sse:reset`, ...). */
  name: string;
  /** The event ID, `''` when the event had none. */
  id: string;
  /** A one-line summary of the data. */
  summary: string;
  /** `system` for the protocol's own events and connection changes. */
  kind: 'event' | 'system';
}

/** How many lines the log keeps. */
const MAX_ENTRIES = 200;

let total = 0;

/**
 * Adds a line at the top of the event log.
 *
 * @param entry - what to show
 */
export function appendLog(entry: LogEntry): void {
  const list = byTestId('event-log');
  list.prepend(
    h(
      'li',
      {
        class: 'log-entry',
        'data-kind': entry.kind,
        'data-event': entry.name,
        'data-id': entry.id || undefined,
      },
      h('span', { class: 'log-time' }, clockTime(Date.now())),
      h('span', { class: 'log-id' }, entry.id || '–'),
      h('span', { class: 'log-name' }, entry.name),
      h('span', { class: 'log-data', title: entry.summary }, entry.summary),
    ),
  );
  while (list.childElementCount > MAX_ENTRIES) list.lastElementChild?.remove();
  total += 1;
  byTestId('log-count').textContent = `${total} ${total === 1 ? 'entry' : 'entries'}`;
}

/** Wires the "Hide metrics samples" switch of the log. */
export function setUpEventLog(): void {
  const toggle = byTestId<HTMLInputElement>('log-hide-metrics');
  toggle.addEventListener('change', () =>
    byTestId('event-log').classList.toggle('hide-metrics', toggle.checked),
  );
}

/**
 * A compact one-line summary of an event's data: `key: value` pairs, strings unquoted.
 *
 * @param data - the event data
 */
export function summarize(data: unknown): string {
  if (typeof data !== 'object' || data === null) return JSON.stringify(data) ?? '';
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('  ');
}
