// @vitest-environment jsdom
import { mockEventStream } from '@app/sse-testing';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { StrictMode } from 'react';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { events, type Note } from '../src/shared/notes-catalog';
import { NotesBoard } from '../src/web/NotesBoard';
import { createNotesApi } from '../src/web/notes-api';
import { createNotesStream } from '../src/web/notes-stream';

// The board against a typed mock of the stream and a mocked REST API: no server needed.
const ORIGIN = 'http://notes.test';
const stream = mockEventStream(events, `${ORIGIN}/events`);
let board: Note[] = [];
const posted: unknown[] = [];
const server = setupServer(
  ...stream.handlers,
  http.get(`${ORIGIN}/api/notes`, () => HttpResponse.json({ notes: board, lastEventId: '' })),
  http.post(`${ORIGIN}/api/notes`, async ({ request }) => {
    const body = (await request.json()) as { author: string; text: string };
    posted.push(body);
    return HttpResponse.json({ id: 'n9', ...body }, { status: 201 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => cleanup());
afterAll(() => server.close());

const texts = () =>
  within(screen.getByRole('list', { name: 'Notes' }))
    .queryAllByText(/./, { selector: 'span' })
    .map((node) => node.textContent);

it('shows the snapshot, then live notes, and reloads the board after a reset', async () => {
  render(
    <StrictMode>
      <NotesBoard
        stream={createNotesStream(`${ORIGIN}/events`, '')}
        api={createNotesApi(ORIGIN)}
        initial={[{ id: 'n1', author: 'ada', text: 'from the snapshot' }]}
        author="grace"
      />
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('open'));
  expect(texts()).toEqual(['from the snapshot']);

  stream.send('note:added', { id: 'n2', author: 'linus', text: 'live' });
  await waitFor(() => expect(texts()).toEqual(['from the snapshot', 'live']));
  stream.send('note:deleted', { id: 'n1' });
  await waitFor(() => expect(texts()).toEqual(['live']));

  // The server could not replay: the board is loaded again.
  board = [{ id: 'n5', author: 'ada', text: 'after the reset' }];
  stream.reset();
  await waitFor(() => expect(texts()).toEqual(['after the reset']));

  fireEvent.change(screen.getByRole('textbox', { name: 'Note' }), { target: { value: 'hello' } });
  fireEvent.click(screen.getByRole('button', { name: 'Add' }));
  await waitFor(() => expect(posted).toEqual([{ author: 'grace', text: 'hello' }]));
});
