import { defineEvents } from '@app/sse-protocol';
import { z } from 'zod';

/** One note on the board. */
export const noteSchema = z.object({
  id: z.string(),
  author: z.string().min(1).max(40),
  text: z.string().min(1).max(500),
});

/** A note. */
export type Note = z.infer<typeof noteSchema>;

/** The events the server pushes and the page handles: one contract, imported by both sides. */
export const events = defineEvents({
  'note:added': noteSchema,
  'note:deleted': z.object({ id: z.string() }),
});

/** What `GET /api/notes` answers: the board, and the ID of the newest event it includes. */
export interface NotesSnapshot {
  notes: Note[];
  lastEventId: string;
}
