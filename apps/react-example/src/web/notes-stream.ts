import { createClient } from '@app/sse-client';
import { createSseHooks, type SseHooks } from '@app/sse-react';
import { events } from '../shared/notes-catalog';

/** The board's stream: one client for the page, created outside render, and its typed hooks. */
export type NotesStream = SseHooks<typeof events>;

/**
 * Opens the stream from `lastEventId` (the snapshot's): no event between the snapshot and the
 * first connection is lost or applied twice.
 *
 * @param url - the stream URL (`/events` in the page; absolute in tests)
 * @param lastEventId - where the snapshot is
 */
export function createNotesStream(url: string, lastEventId: string): NotesStream {
  const client = createClient({ url, events, lastEventId, autoConnect: false });
  return createSseHooks(client);
}
