import { type FormEvent, useState } from 'react';
import { foldNotes } from '../shared/fold-notes';
import type { Note } from '../shared/notes-catalog';
import type { NotesApi } from './notes-api';
import type { NotesStream } from './notes-stream';

/** Props of {@link NotesBoard}. */
export interface NotesBoardProps {
  stream: NotesStream;
  api: NotesApi;
  /** The board as the snapshot had it (the stream goes on from there). */
  initial: Note[];
  author: string;
}

/** The board: live notes (added and deleted by anyone), a form, and the connection state. */
export function NotesBoard({ stream, api, initial, author }: NotesBoardProps) {
  const state = stream.useSseStatus((status) => status.state);
  const { state: notes, refetching } = stream.useSseReducer(
    ['note:added', 'note:deleted'],
    foldNotes,
    initial,
    {
      // After sse:reset (the server could not replay what this page missed): the board again.
      refetch: async () => (await api.load()).notes,
    },
  );
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api.add(author, text);
      setText('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <main>
      <h1>
        Notes <small data-testid="connection">{refetching ? 'reloading' : state}</small>
      </h1>
      <form onSubmit={submit}>
        <input aria-label="Note" value={text} onChange={(event) => setText(event.target.value)} />
        <button type="submit" disabled={text.trim() === ''}>
          Add
        </button>
      </form>
      {error === null ? null : <p role="alert">{error}</p>}
      <ul aria-label="Notes">
        {notes.map((note) => (
          <li key={note.id}>
            <span>{note.text}</span> <em>{note.author}</em>{' '}
            <button type="button" aria-label={`Delete ${note.text}`} onClick={() => void api.remove(note.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
