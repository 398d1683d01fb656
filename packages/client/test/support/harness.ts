import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { createClient } from '../../src/client';
import type { ClientState, SseClient } from '../../src/client-api';
import type { SseClientError } from '../../src/errors';
import type { ClientOptions } from '../../src/options';
import { events } from './catalog';

export const STREAM_URL = 'http://sse.test/events';

/** The timers faked in timer tests: setImmediate stays real so I/O can be awaited. */
export const FAKE_TIMERS: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
};

/** A client with everything it reports recorded. */
export interface Recorded {
  client: SseClient<typeof events>;
  errors: SseClientError[];
  states: ClientState[];
}

/**
 * Sets up an msw server for the file and returns a factory of recorded clients; every client and
 * handler is cleaned up after each test.
 */
export function useMockNetwork() {
  const server = setupServer();
  const clients: SseClient<typeof events>[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    server.resetHandlers();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  afterAll(() => server.close());

  function connect(options: Partial<ClientOptions<typeof events>> = {}): Recorded {
    const errors: SseClientError[] = [];
    const states: ClientState[] = [];
    const client = createClient({ url: STREAM_URL, events, autoConnect: false, ...options });
    clients.push(client);
    client.onError((error) => errors.push(error));
    client.onState((state) => states.push(state));
    if (options.autoConnect !== false) client.connect();
    return { client, errors, states };
  }

  return { server, connect };
}
