import { randomUUID } from 'node:crypto';
import { createEmitter, type Emitter } from '@app/sse-server';
import express, { type Express } from 'express';
import { z } from 'zod';
import { foldNotes } from '../shared/fold-notes';
import { events, type Note, type NotesSnapshot, noteSchema } from '../shared/notes-catalog';

/** The backend: an Express app, its emitter, and the board. */
export interface NotesApp {
  readonly app: Express;
  readonly sse: Emitter<typeof events>;
  /** Closes every stream (clients come back when a server is there again). */
  close(): Promise<void>;
}

/** Options of {@link createNotesApp}. */
export interface NotesAppOptions {
  /** A built page to serve (production); without it, only the API and the stream. */
  staticDir?: string;
}

const newNote = noteSchema.omit({ id: true });

/**
 * The notes backend: `GET /events` (the stream), `GET /api/notes` (the board and the ID it is at,
 * for snapshot-then-resume), `POST /api/notes`, `DELETE /api/notes/:id`.
 */
export function createNotesApp(options: NotesAppOptions = {}): NotesApp {
  const sse = createEmitter({ events, heartbeatMs: 15_000 });
  let notes: Note[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '4kb' }));

  app.get('/events', sse.handler());

  app.get('/api/notes', async (_req, res) => {
    // The head first, then the board: the board holds at least every event up to the head, and any
    // later one the client also gets from the stream is applied twice harmlessly (foldNotes).
    const lastEventId = await sse.head();
    const snapshot: NotesSnapshot = { notes, lastEventId };
    res.json(snapshot);
  });

  app.post('/api/notes', async (req, res) => {
    const parsed = newNote.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    const note = { id: randomUUID(), ...parsed.data };
    notes = foldNotes(notes, { type: 'note:added', data: note });
    await sse.broadcast('note:added', note);
    res.status(201).json(note);
  });

  app.delete('/api/notes/:id', async (req, res) => {
    if (!notes.some((note) => note.id === req.params.id)) {
      res.status(404).json({ error: 'no such note' });
      return;
    }
    notes = foldNotes(notes, { type: 'note:deleted', data: { id: req.params.id } });
    await sse.broadcast('note:deleted', { id: req.params.id });
    res.status(204).end();
  });

  if (options.staticDir !== undefined) {
    app.use(express.static(options.staticDir));
    // Any other GET is the single page.
    app.get(/^\/(?!api\/|events$).*/, (_req, res) => res.sendFile('index.html', { root: options.staticDir }));
  }

  return { app, sse, close: () => sse.close() };
}
