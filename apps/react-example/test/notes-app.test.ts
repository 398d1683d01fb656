import { listen, openRaw } from '@app/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotesApp, type NotesApp } from '../src/server/notes-app';
import type { NotesSnapshot } from '../src/shared/notes-catalog';

let notes: NotesApp;
let origin: string;
afterEach(async () => {
  await notes.close();
});

async function start() {
  notes = createNotesApp();
  const server = await listen(notes.app);
  origin = server.origin;
  return server;
}

const post = (body: unknown) =>
  fetch(`${origin}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the notes backend', () => {
  it('answers a snapshot a stream resumes from exactly, with the notes added after it', async () => {
    const server = await start();
    await post({ author: 'ada', text: 'first' });
    const snapshot = (await (await fetch(`${origin}/api/notes`)).json()) as NotesSnapshot;
    expect(snapshot.notes.map((note) => note.text)).toEqual(['first']);
    const second = await (await post({ author: 'ada', text: 'second' })).json();
    const stream = await openRaw(`${origin}/events`, { headers: { 'Last-Event-ID': snapshot.lastEventId } });
    const received = await stream.waitForEvents(2);
    expect(received.map((event) => [event.event, JSON.parse(event.data)])).toEqual([
      ['sse:hello', expect.any(Object)],
      ['note:added', second],
    ]);
    stream.destroy();
    await server.close();
  });

  it('refuses an invalid note with 400 and an unknown one with 404, and publishes nothing', async () => {
    const server = await start();
    const bad = await post({ author: '', text: 'x' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('author');
    expect((await fetch(`${origin}/api/notes/nope`, { method: 'DELETE' })).status).toBe(404);
    expect(await notes.sse.head()).toMatch(/-0$/);
    await server.close();
  });
});
