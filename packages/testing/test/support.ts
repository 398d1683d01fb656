import type { ResetInfo } from '@app/sse-client';
import { createClient, type SseClient, type SseClientError } from '@app/sse-client';
import { setupServer } from 'msw/node';
import { afterEach } from 'vitest';
import { type MockEventStream, type MockEventStreamOptions, mockEventStream } from '../src/index';
import { events, STREAM_URL } from './catalog';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A mock stream served by msw's `setupServer`, stopped after the test. */
export function mockedStream(options: MockEventStreamOptions = {}): MockEventStream<typeof events> {
  const stream = mockEventStream(events, STREAM_URL, options);
  const server = setupServer(...stream.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  cleanups.push(() => server.close());
  return stream;
}

/** A real client of the mocked stream recording what it receives, closed after the test. */
export function recordingClient(options: { lastEventId?: string } = {}) {
  const client: SseClient<typeof events> = createClient({
    url: STREAM_URL,
    events,
    backoff: { initialMs: 10, maxMs: 50 },
    ...options,
  });
  cleanups.push(() => client.close());
  const received: string[] = [];
  const ids: string[] = [];
  const resets: ResetInfo[] = [];
  const errors: SseClientError[] = [];
  client.on('notification', (data, meta) => {
    received.push(data.message);
    ids.push(meta.id);
  });
  client.onReset((info) => void resets.push(info));
  client.onError((error) => void errors.push(error));
  return { client, received, ids, resets, errors };
}
