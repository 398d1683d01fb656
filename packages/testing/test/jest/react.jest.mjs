/**
 * @jest-environment jest-fixed-jsdom
 */
// Jest, jsdom: a React component on @app/sse-react against the mock, without a JSX transform.
import { createClient } from '@app/sse-client';
import { createSseHooks } from '@app/sse-react';
import { mockEventStream } from '@app/sse-testing';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { createElement as h, StrictMode } from 'react';
import { events, URL } from './catalog.mjs';

const client = createClient({ url: URL, events, autoConnect: false, backoff: { initialMs: 10 } });
const { useSseStatus, useSseReducer } = createSseHooks(client, { idleCloseMs: 0 });

function Inbox() {
  const state = useSseStatus((status) => status.state);
  const { state: messages } = useSseReducer(
    ['notification'],
    (list, event) => [...list, event.data.message],
    [],
  );
  return h(
    'section',
    null,
    h('p', { role: 'status' }, state),
    h('ul', null, ...messages.map((m) => h('li', { key: m }, m))),
  );
}

const stream = mockEventStream(events, URL);
const server = setupServer(...stream.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => cleanup());
afterAll(() => server.close());

test('renders live events under StrictMode on one stream', async () => {
  render(h(StrictMode, null, h(Inbox)));
  await waitFor(() => expect(screen.getByRole('status').textContent).toBe('open'));
  stream.send('notification', { message: 'Deployed', severity: 'info' });
  await screen.findByText('Deployed');
  expect(stream.connections).toHaveLength(1);
});
