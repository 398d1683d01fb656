// @vitest-environment jsdom
// The complete example from the README: a component using @app/sse-react, tested against the mock.
import { createClient } from '@app/sse-client';
import { defineEvents } from '@app/sse-protocol';
import { createSseHooks } from '@app/sse-react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { StrictMode } from 'react';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import * as z from 'zod';
import { mockEventStream } from '../src/index';

// The app's catalog and hooks (in an app: imported from its own modules).
const events = defineEvents({
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
});
const client = createClient({
  url: 'http://api.test/events',
  events,
  autoConnect: false,
  backoff: { initialMs: 10 },
});
const { useSseStatus, useSseReducer } = createSseHooks(client, { idleCloseMs: 0 });

function Inbox({ load }: { load: () => Promise<string[]> }) {
  const state = useSseStatus((s) => s.state);
  const { state: messages, refetching } = useSseReducer(
    ['notification'],
    (list: string[], event) => [...list, event.data.message],
    [],
    { refetch: load },
  );
  return (
    <section>
      <p role="status">{refetching ? 'reloading' : state}</p>
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </section>
  );
}

// The test: one mock for the suite, driven per test.
const stream = mockEventStream(events, 'http://api.test/events');
const server = setupServer(...stream.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup(); // unmounts, so the hooks release (and close) the client
  stream.clear(); // the next test starts from connection 0
});
afterAll(() => server.close());

it('shows live notifications, survives a dropped connection and reloads after a reset', async () => {
  render(
    <StrictMode>
      <Inbox load={async () => ['reloaded']} />
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByRole('status').textContent).toBe('open'));

  stream.send('notification', { message: 'Deployed', severity: 'info' });
  await screen.findByText('Deployed');

  stream.drop();
  const resumed = await stream.waitForConnection(1);
  expect(resumed.lastEventId).toBe(stream.head);

  stream.reset();
  await screen.findByText('reloaded');
  expect(screen.queryByText('Deployed')).toBeNull();
  expect(stream.connections).toHaveLength(2);
});
