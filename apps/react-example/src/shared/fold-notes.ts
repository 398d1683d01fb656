import type { EventUnion } from '@app/sse-protocol';
import type { events, Note } from './notes-catalog';

/**
 * Applies one event to the board. Idempotent (an add replaces a note with the same ID, a delete of
 * a missing note does nothing), so an event that is both in a snapshot and replayed after it
 * changes nothing the second time.
 */
export function foldNotes(notes: Note[], event: EventUnion<typeof events>): Note[] {
  if (event.type === 'note:added') return [...notes.filter((note) => note.id !== event.data.id), event.data];
  return notes.filter((note) => note.id !== event.data.id);
}
