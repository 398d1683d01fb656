import { waitFor } from '@app/test-utils';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockedStream, recordingClient } from './support';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("on msw's sse() handler (a runtime with EventSource)", () => {
  it('is what auto picks, and behaves as the plain-body transport does', async () => {
    vi.stubGlobal('EventSource', EventSource);
    const stream = mockedStream({ epoch: 'sse' });
    expect(stream.handlers[1]?.constructor.name).toBe('ServerSentEventHandler');
    const { client, received, resets } = recordingClient();
    const first = await stream.waitForConnection(0);
    await waitFor(() => expect(client.getSnapshot().clientId).toBe(first.clientId));
    stream.send('notification', { message: 'one', severity: 'info' });
    await waitFor(() => expect(received).toEqual(['one']));
    stream.drop();
    stream.send('notification', { message: 'two', severity: 'info' });
    const second = await stream.waitForConnection(1);
    await waitFor(() => expect(received).toEqual(['one', 'two']));
    stream.reset('evicted');
    await waitFor(() => expect(resets.map((info) => info.reason)).toEqual(['evicted']));
    expect({ resumedFrom: second.lastEventId, lastEventId: client.lastEventId }).toEqual({
      resumedFrom: 'sse-1',
      lastEventId: 'sse-2',
    });
  });

  it('is not used where it cannot be built', () => {
    const stream = mockedStream();
    expect(stream.handlers[1]?.constructor.name).toBe('HttpHandler');
  });
});
