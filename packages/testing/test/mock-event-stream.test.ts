import { EventValidationError } from '@app/sse-protocol';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { events } from './catalog';
import { mockedStream, recordingClient } from './support';

describe('mockEventStream with the real client', () => {
  it('greets with sse:hello carrying the real fingerprint and delivers typed events with server IDs', async () => {
    const stream = mockedStream({ epoch: 'test' });
    const { client, received, ids, errors } = recordingClient();
    const connection = await stream.waitForConnection(0);
    await waitFor(() => expect(client.getSnapshot().clientId).toBe(connection.clientId));
    expect(client.lastEventId).toBe('test-0');
    stream.send('notification', { message: 'one', severity: 'info' });
    stream.send('notification', { message: 'two', severity: 'warning' });
    await waitFor(() => expect(received).toEqual(['one', 'two']));
    expect({ ids, head: stream.head, errors, state: client.state }).toEqual({
      ids: ['test-1', 'test-2'],
      head: 'test-2',
      errors: [],
      state: 'open',
    });
    client.close();
    await connection.closed;
    expect(connection.open).toBe(false);
  });

  it('validates what the test sends against the catalog', () => {
    const stream = mockedStream();
    expect(() => stream.send('notification', { message: 'x', severity: 'fatal' } as never)).toThrow(
      EventValidationError,
    );
    const untyped = stream.send as (name: string, data: unknown) => string;
    expect(() => untyped('nope', {})).toThrow(EventValidationError);
    expect(stream.head).toMatch(/-0$/);
  });

  it('records the Last-Event-ID of each reconnection and replays what was missed', async () => {
    const stream = mockedStream();
    const { received, ids } = recordingClient();
    await stream.waitForConnection(0);
    const first = stream.send('notification', { message: 'before', severity: 'info' });
    await waitFor(() => expect(received).toEqual(['before']));
    expect(stream.drop()).toBe(1);
    // Sent while no stream is open: the resume replays it.
    stream.send('notification', { message: 'during', severity: 'info' });
    const second = await stream.waitForConnection(1);
    await waitFor(() => expect(received).toEqual(['before', 'during']));
    stream.send('notification', { message: 'after', severity: 'info' });
    await waitFor(() => expect(received).toEqual(['before', 'during', 'after']));
    expect({
      lastEventIds: stream.connections.map((connection) => connection.lastEventId),
      firstOpen: stream.connections[0]?.open,
      secondOpen: second.open,
      unique: new Set(ids).size,
    }).toEqual({ lastEventIds: ['', first], firstOpen: false, secondOpen: true, unique: 3 });
  });

  it('sends sse:reset now, and on resumes from before it', async () => {
    const stream = mockedStream();
    const { resets } = recordingClient();
    await stream.waitForConnection(0);
    stream.send('notification', { message: 'a', severity: 'info' });
    stream.reset('evicted');
    await waitFor(() => expect(resets).toEqual([{ reason: 'evicted', lastEventId: '' }]));
    const late = recordingClient({ lastEventId: stream.head.replace(/-\d+$/, '-0') });
    await waitFor(() => expect(late.resets.map((info) => info.reason)).toEqual(['evicted']));
  });

  it('sends a reset asked for while no stream is open to the next connection', async () => {
    const stream = mockedStream();
    stream.reset('unknown-id');
    const { resets } = recordingClient();
    await waitFor(() => expect(resets.map((info) => info.reason)).toEqual(['unknown-id']));
  });

  it('answers a resume from another epoch with epoch-changed', async () => {
    const stream = mockedStream();
    const { resets } = recordingClient({ lastEventId: 'older-12' });
    await waitFor(() => expect(resets).toEqual([{ reason: 'epoch-changed', lastEventId: 'older-12' }]));
    expect(stream.connections[0]?.lastEventId).toBe('older-12');
  });

  it('refuses the next connections as told: 503 is retried, 401 is fatal', async () => {
    const stream = mockedStream();
    stream.refuse(503, { 'retry-after': '0' });
    stream.refuse(401);
    const { client, errors } = recordingClient();
    await waitFor(() => expect(client.state).toBe('closed'));
    expect({
      statuses: stream.connections.map((connection) => connection.status),
      codes: errors.map((error) => error.code),
    }).toEqual({ statuses: [503, 401], codes: ['http-status', 'unauthorized'] });
  });

  it('refuses with 204 (stop) and with a wrong content type', async () => {
    const stream = mockedStream();
    stream.refuse(204);
    const first = recordingClient();
    await waitFor(() => expect(stream.connections).toHaveLength(1));
    await waitFor(() => expect(first.client.state).toBe('closed'));
    stream.refuse(200, { 'content-type': 'text/html' });
    const second = recordingClient();
    await waitFor(() => expect(second.errors.map((error) => error.code)).toEqual(['content-type']));
    expect(first.errors).toEqual([]);
  });

  it('ends streams cleanly and sends retry:', async () => {
    const stream = mockedStream({ retryMs: 30 });
    const { received } = recordingClient();
    await stream.waitForConnection(0);
    stream.retry(5);
    expect(stream.end()).toBe(1);
    await stream.waitForConnection(1);
    stream.send('notification', { message: 'back', severity: 'info' });
    await waitFor(() => expect(received).toEqual(['back']));
    expect(() => stream.retry(-1)).toThrow(RangeError);
  });

  it('writes the frames the server writes', async () => {
    const stream = mockedStream({ epoch: 'wire', retryMs: 25 });
    const controller = new AbortController();
    const response = await fetch('http://sse.test/events', {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: sse:hello')) text += (await reader.read()).value ?? '';
    controller.abort();
    const { clientId } = stream.connections[0]!;
    expect({ type: response.headers.get('content-type'), text }).toEqual({
      type: 'text/event-stream; charset=utf-8',
      text: `: ok\nretry: 25\n\nid: wire-0\nevent: sse:hello\ndata: ${JSON.stringify({ clientId, fingerprint: catalogFingerprint(events), heartbeatMs: 0 })}\n\n`,
    });
    await waitFor(() => expect(stream.connections[0]?.open).toBe(false));
  });

  it('refuses bad arguments at once', () => {
    expect(() => mockedStream({ epoch: 'has-dash' })).toThrow(TypeError);
    const stream = mockedStream();
    expect(() => stream.refuse(99)).toThrow(RangeError);
    expect(() => stream.reset('gone' as never)).toThrow(TypeError);
    // No connection has such an index: a wait for it would never end.
    expect(() => stream.waitForConnection(-1)).toThrow(RangeError);
    expect(() => stream.waitForConnection(1.5)).toThrow(RangeError);
  });
});
