// Where the mock answers as @app/sse-server does: a malformed Last-Event-ID, an empty one, a drop
// right after sends (both transports), an aborted fetch, and fake timers.
import { createClient } from '@app/sse-client';
import { waitFor } from '@app/test-utils';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { events, STREAM_URL } from './catalog';
import { mockedStream, recordingClient } from './support';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Reads a raw response body until it ends or fails: the text, and how it finished. */
async function readAll(response: Response): Promise<{ text: string; end: string }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { text, end: 'eof' };
      text += value;
    }
  } catch (error) {
    return { text, end: error instanceof Error ? error.name : String(error) };
  }
}

const open = (headers: Record<string, string> = {}, url = STREAM_URL, signal?: AbortSignal) =>
  fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal });

describe('a malformed Last-Event-ID', () => {
  it('is answered 400 in plain text, as the server answers it, before a queued refusal', async () => {
    const stream = mockedStream();
    stream.refuse(503);
    const response = await open({ 'last-event-id': 'v1:42' });
    expect({
      status: response.status,
      type: response.headers.get('content-type'),
      cache: response.headers.get('cache-control'),
      body: await response.text(),
    }).toEqual({
      status: 400,
      type: 'text/plain; charset=utf-8',
      cache: 'no-store',
      body: 'Last-Event-ID must be an event ID of this server, <epoch>-<seq>',
    });
    const [connection] = stream.connections;
    expect({ status: connection?.status, clientId: connection?.clientId, open: connection?.open }).toEqual({
      status: 400,
      clientId: null,
      open: false,
    });
    // The queued refusal is still there for the next connection.
    expect((await open()).status).toBe(503);
  });

  it.each(['http', 'sse'] as const)('makes the client stop with a fatal error [%s]', async (transport) => {
    if (transport === 'sse') vi.stubGlobal('EventSource', EventSource);
    const stream = mockedStream({ transport });
    const { client, errors, resets } = recordingClient({ lastEventId: 'v1:42' });
    await waitFor(() => expect(client.state).toBe('closed'));
    expect({
      errors: errors.map((error) => `${error.code}${error.fatal ? ' (fatal)' : ''}`),
      resets,
      statuses: stream.connections.map((connection) => connection.status),
    }).toEqual({ errors: ['http-status (fatal)'], resets: [], statuses: [400] });
  });
});

it("ends a stream as the server's close() does, under the server's headers: retry:, then the end", async () => {
  const stream = mockedStream({ retryMs: 30, transport: 'http' });
  const response = await open();
  expect(response.headers.get('x-accel-buffering')).toBe('no');
  const body = readAll(response);
  await stream.waitForConnection(0);
  expect(stream.end()).toBe(1);
  const { text, end } = await body;
  expect(end).toBe('eof');
  expect(text.endsWith('\n\nretry: 30\n\n')).toBe(true);
});

it('reads an empty Last-Event-ID header as absent and resumes from the query parameter', async () => {
  const stream = mockedStream({ epoch: 'q' });
  stream.send('notification', { message: 'one', severity: 'info' });
  stream.send('notification', { message: 'two', severity: 'info' });
  const controller = new AbortController();
  const response = await open({ 'last-event-id': '' }, `${STREAM_URL}?lastEventId=q-1`, controller.signal);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('"two"')) text += (await reader.read()).value ?? '';
  controller.abort();
  expect(stream.connections[0]?.lastEventId).toBe('q-1');
  expect(text).toContain('id: q-1\nevent: sse:hello\n');
  expect(text).not.toContain('"one"');
});

describe('drop()', () => {
  it.each(['http', 'sse'] as const)(
    'delivers what was sent before it, then fails the connection [%s]',
    async (transport) => {
      if (transport === 'sse') vi.stubGlobal('EventSource', EventSource);
      const stream = mockedStream({ epoch: 'd', transport });
      const response = await open();
      await stream.waitForConnection(0);
      stream.send('notification', { message: 'one', severity: 'info' });
      stream.send('notification', { message: 'two', severity: 'info' });
      stream.send('notification', { message: 'three', severity: 'info' });
      expect(stream.drop()).toBe(1);
      expect(stream.connections[0]?.open).toBe(false);
      stream.send('notification', { message: 'after', severity: 'info' });
      const { text, end } = await readAll(response);
      expect(end).not.toBe('eof');
      const ids = [...text.matchAll(/^id: ?(.*)$/gm)].map((match) => match[1]);
      expect(ids).toEqual(['d-0', 'd-1', 'd-2', 'd-3']);
      expect(text).not.toContain('after');
    },
  );

  it('works under fake timers: the cut comes as timers advance', async () => {
    vi.useFakeTimers();
    const stream = mockedStream();
    const { client, received } = recordingClient();
    const c0 = await stream.waitForConnection(0);
    await vi.waitFor(() => expect(client.getSnapshot().clientId).toBe(c0.clientId));
    const id = stream.send('notification', { message: 'one', severity: 'info' });
    stream.drop();
    stream.send('notification', { message: 'two', severity: 'info' });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await stream.waitForConnection(1)).lastEventId).toBe(id);
    await vi.waitFor(() => expect(received).toEqual(['one', 'two']));
    client.close();
  });
});

it('fails the body of an aborted fetch for a raw reader, as a real fetch does', async () => {
  const stream = mockedStream();
  const controller = new AbortController();
  const response = await open({}, STREAM_URL, controller.signal);
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  // Chunks already on their way may still come; then the body fails instead of hanging.
  let outcome = 'chunk';
  while (outcome === 'chunk') {
    outcome = await Promise.race([
      reader.read().then(
        (result) => (result.done ? 'done' : 'chunk'),
        (error: Error) => error.name,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 1000)),
    ]);
  }
  expect(outcome).toBe('AbortError');
  await stream.connections[0]?.closed;
  expect(stream.connections[0]?.open).toBe(false);
});

it('is created with the catalog the client uses', () => {
  // Keeps the import of `events` honest for the tests above, which use the suite's catalog.
  expect(createClient({ url: STREAM_URL, events, autoConnect: false }).state).toBe('closed');
});
