// One mock shared by a suite, as the README lays it out, cleared after each test: every test
// starts from a clean slate (connection 0, no queued refusal, no pending reset, no history).
import { createClient, type ResetInfo } from '@app/sse-client';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { waitFor } from '@app/test-utils';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockEventStream } from '../src/index';
import { events } from './catalog';

const URL = 'http://suite.test/events';
const stream = mockEventStream(events, URL, { epoch: 'suite', retryMs: 30 });
const server = setupServer(...stream.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => stream.clear());
afterAll(() => server.close());

function client(lastEventId?: string) {
  const made = createClient({ url: URL, events, backoff: { initialMs: 10, maxMs: 50 }, lastEventId });
  const seen: string[] = [];
  const resets: ResetInfo[] = [];
  made.on('notification', (data) => seen.push(data.message));
  made.onReset((info) => void resets.push(info));
  return { client: made, seen, resets };
}

describe('a mock shared by the suite, cleared after each test', () => {
  it('test 1: receives an event, and leaves a refusal, a reset and a waiter behind', async () => {
    const { client: first, seen } = client();
    const c0 = await stream.waitForConnection(0);
    await waitFor(() => expect(first.getSnapshot().clientId).toBe(c0.clientId));
    stream.send('notification', { message: 'one', severity: 'info' });
    await waitFor(() => expect(seen).toEqual(['one']));
    stream.retry(5);
    first.close();
    await c0.closed;
    stream.refuse(503, { 'retry-after': '0' }); // prepared for a path this test did not take
    stream.reset('evicted'); // no stream open: pending for the next connection
    void stream.waitForConnection(1); // never arrives in this test
    expect(stream.head).toBe('suite-1');
  });

  it('test 2: a fresh client gets connection 0, a plain stream and only its own events', async () => {
    expect({ connections: stream.connections.length, head: stream.head }).toEqual({
      connections: 0,
      head: 'suite-0',
    });
    const { client: second, seen, resets } = client();
    const c0 = await stream.waitForConnection(0);
    expect({ index: c0.index, status: c0.status, open: c0.open }).toEqual({
      index: 0,
      status: 200,
      open: true,
    });
    await waitFor(() => expect(second.getSnapshot().clientId).toBe(c0.clientId));
    expect(second.lastEventId).toBe('suite-0');
    expect(stream.send('notification', { message: 'two', severity: 'info' })).toBe('suite-1');
    await waitFor(() => expect(seen).toEqual(['two']));
    expect({ resets, connections: stream.connections.length }).toEqual({ resets: [], connections: 1 });
    second.close();
  });

  it('test 3: clear() drops the open streams and forgets the history and the retry', async () => {
    const { client: third, seen } = client();
    const c0 = await stream.waitForConnection(0);
    await waitFor(() => expect(third.getSnapshot().clientId).toBe(c0.clientId));
    const old = stream.send('notification', { message: 'before', severity: 'info' });
    await waitFor(() => expect(seen).toEqual(['before']));
    third.close();
    stream.retry(7);
    // A stream still open when clear() is called is dropped (here: a raw reader).
    const response = await fetch(URL, { headers: { accept: 'text/event-stream' } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const open = stream.connections.at(-1)!;
    expect(open.open).toBe(true);
    stream.clear();
    expect(open.open).toBe(false);
    let text = '';
    await expect(
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += value;
        }
      })(),
    ).rejects.toThrow(/dropped/);
    expect(text).toContain('retry: 7');
    // The history is gone: a resume from an ID of before is answered with a reset, as by a new mock.
    const late = client(old);
    await waitFor(() => expect(late.resets).toEqual([{ reason: 'unknown-id', lastEventId: old }]));
    const fresh = stream.connections[0]!;
    expect({ index: fresh.index, lastEventId: fresh.lastEventId }).toEqual({ index: 0, lastEventId: old });
    late.client.close();
    const raw = await fetch(URL, { headers: { accept: 'text/event-stream' } });
    const rawReader = raw.body!.pipeThrough(new TextDecoderStream()).getReader();
    let greeting = '';
    while (!greeting.includes('event: sse:hello')) greeting += (await rawReader.read()).value ?? '';
    await rawReader.cancel();
    const { clientId } = stream.connections[1]!;
    expect(greeting).toBe(
      `: ok\nretry: 30\n\nid: suite-0\nevent: sse:hello\ndata: ${JSON.stringify({ clientId, fingerprint: catalogFingerprint(events), heartbeatMs: 0 })}\n\n`,
    );
  });
});
