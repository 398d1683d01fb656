import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { NotesBoard } from './NotesBoard';
import { createNotesApi } from './notes-api';
import { createNotesStream } from './notes-stream';

// Snapshot, then resume from exactly there: the board over REST with the ID it is at, then the
// stream from that ID.
const api = createNotesApi();
const snapshot = await api.load();
const stream = createNotesStream('/events', snapshot.lastEventId);
const author = new URLSearchParams(location.search).get('author') ?? 'guest';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <NotesBoard stream={stream} api={api} initial={snapshot.notes} author={author} />
  </StrictMode>,
);
