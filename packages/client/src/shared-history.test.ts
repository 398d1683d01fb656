import { describe, expect, it } from 'vitest';
import type { RoutedEvent } from './dispatch';
import { createSharedHistory, SHARED_HISTORY_MAX_CHARS, SHARED_HISTORY_MAX_EVENTS } from './shared-history';

const event = (id: string, data = '{}', ownId = true): RoutedEvent => ({ event: 'tick', data, id, ownId });

describe('createSharedHistory', () => {
  it('gives the events after an ID, nothing for the latest or for no ID, and undefined for an unknown one', () => {
    const history = createSharedHistory('');
    for (const id of ['1', '2', '3']) history.record(event(id));
    expect(history.after('1')?.map((entry) => entry.id)).toEqual(['2', '3']);
    expect(history.after('3')).toEqual([]);
    expect(history.after('')).toEqual([]);
    expect(history.after('9')).toBeUndefined();
    expect(history.trimmed).toBe(false);
  });

  it('finds only IDs the stream set (an event without id: repeats the previous one)', () => {
    const history = createSharedHistory('');
    history.record(event('1'));
    history.record(event('1', '{"n":2}', false));
    expect(history.after('1')?.map((entry) => entry.data)).toEqual(['{"n":2}']);
  });

  it('serves everything after the ID the client started from, until it drops events', () => {
    const history = createSharedHistory('0');
    history.record(event('1'));
    expect(history.after('0')?.map((entry) => entry.id)).toEqual(['1']);
    for (let index = 2; index <= SHARED_HISTORY_MAX_EVENTS + 1; index++) history.record(event(String(index)));
    expect(history.trimmed).toBe(true);
    expect(history.after('0')).toBeUndefined();
    expect(history.after('1')).toBeUndefined();
    expect(history.after('2')).toHaveLength(SHARED_HISTORY_MAX_EVENTS - 1);
  });

  it('drops the oldest events past its size bound, keeping the newest even when it alone is larger', () => {
    const history = createSharedHistory('');
    const half = 'x'.repeat(SHARED_HISTORY_MAX_CHARS / 2);
    history.record(event('1', half));
    history.record(event('2', half));
    expect(history.trimmed).toBe(false);
    history.record(event('3', `${half}${half}`));
    expect(history.trimmed).toBe(true);
    expect(history.after('2')).toBeUndefined();
    expect(history.after('3')).toEqual([]);
  });
});
