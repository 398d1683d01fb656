// Jest, Node environment: the mock drives a client over msw's interception of fetch.
import { mockEventStream } from '@app/sse-testing';
import { setupServer } from 'msw/node';
import { events, recordingClient, URL } from './catalog.mjs';

const stream = mockEventStream(events, URL);
const server = setupServer(...stream.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('sends typed events, drops a connection, resumes with Last-Event-ID and tells a reset', async () => {
  const { client, received, resets, errors } = recordingClient();
  const first = await stream.waitForConnection(0);
  await waitFor(() => expect(client.getSnapshot().clientId).toBe(first.clientId));
  stream.send('notification', { message: 'one', severity: 'info' });
  await waitFor(() => expect(received).toEqual(['one']));
  expect(() => stream.send('notification', { message: 'two', severity: 'loud' })).toThrow(/severity/);
  stream.drop();
  const second = await stream.waitForConnection(1);
  expect(second.lastEventId).toBe(client.lastEventId);
  stream.reset('evicted');
  await waitFor(() => expect(resets).toEqual(['evicted']));
  // The dropped connection is reported once, as a network error; nothing else went wrong.
  expect(errors).toEqual(['network']);
  client.close();
});

/** Retries `assertion` until it passes (Jest has no built-in waitFor outside Testing Library). */
async function waitFor(assertion, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
