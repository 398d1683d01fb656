import type { Note, NotesSnapshot } from '../shared/notes-catalog';

/** The REST half of the board (the stream is the other). */
export interface NotesApi {
  /** The board and the ID of the newest event it includes. */
  load(): Promise<NotesSnapshot>;
  add(author: string, text: string): Promise<Note>;
  remove(id: string): Promise<void>;
}

async function expectOk(response: Response): Promise<Response> {
  if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
  return response;
}

/**
 * The API at `origin` (`''`: the page's own, which Vite's proxy forwards in development).
 *
 * @param origin - like `http://127.0.0.1:3001`, or `''`
 */
export function createNotesApi(origin = ''): NotesApi {
  return {
    load: async () => (await expectOk(await fetch(`${origin}/api/notes`))).json(),
    add: async (author, text) =>
      (
        await expectOk(
          await fetch(`${origin}/api/notes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ author, text }),
          }),
        )
      ).json(),
    remove: async (id) => {
      await expectOk(await fetch(`${origin}/api/notes/${encodeURIComponent(id)}`, { method: 'DELETE' }));
    },
  };
}
