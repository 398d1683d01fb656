import { createParserStream, defineEvents, type ParsedEvent } from '@app/sse-protocol';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createEmitter } from './emitter';
import { isSseServerError } from './errors';
import { createMemoryStore } from './memory-store';
import type { ReplayStore } from './replay-store';

const events = defineEvents({
  note: z.object({ text: z.string() }),
  raw: z.object({ value: z.unknown() }),
});

async function open(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(createParserStream()).getReader();
  const received: ParsedEvent[] = [];
  let ended = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      received.push(value);
    }
    ended = true;
  })();
  return { received, ended: () => ended, cancel: () => reader.cancel() };
}

describe('createEmitter', () => {
  it('rejects with serialization-failed for a payload JSON cannot hold, before storing it', async () => {
    const emitter = createEmitter({ events });
    await expect(emitter.broadcast('raw', { value: 10n })).rejects.toSatisfy(
      (error: unknown) => isSseServerError(error) && error.code === 'serialization-failed',
    );
    expect(emitter.stats().published).toBe(0);
    expect((await emitter.broadcast('raw', { value: undefined })).id).toMatch(/-1$/);
    await emitter.close();
  });

  it('reports store failures: append rejects the publish, head answers 503, readAfter ends the stream', async () => {
    const onError = vi.fn();
    const inner = createMemoryStore();
    const failing = { append: false, head: false, read: false };
    const store: ReplayStore = {
      append: (request) =>
        failing.append ? Promise.reject(new Error('append down')) : inner.append(request),
      head: () => (failing.head ? Promise.reject(new Error('head down')) : inner.head()),
      readAfter: (id) => (failing.read ? Promise.reject(new Error('read down')) : inner.readAfter(id)),
      close: vi.fn(() => Promise.resolve()),
    };
    const emitter = createEmitter({ events, store, onError });

    failing.append = true;
    await expect(emitter.broadcast('note', { text: 'x' })).rejects.toMatchObject({
      code: 'store-failed',
      cause: expect.objectContaining({ message: 'append down' }),
    });
    failing.append = false;

    failing.head = true;
    const unavailable = await emitter.fetchHandler(new Request('http://localhost/'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('3');
    expect(onError).toHaveBeenLastCalledWith(expect.objectContaining({ code: 'store-failed' }));
    failing.head = false;

    failing.read = true;
    const stream = await open(await emitter.fetchHandler(new Request('http://localhost/')));
    await vi.waitFor(() => expect(stream.ended()).toBe(true));
    expect(stream.received).toEqual([]);
    expect(onError).toHaveBeenLastCalledWith(
      expect.objectContaining({
        code: 'store-failed',
        cause: expect.objectContaining({ message: 'read down' }),
      }),
    );
    expect(emitter.stats().clients).toBe(0);
    await emitter.close();
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('survives a store that answers IDs that are not event IDs', async () => {
    const onError = vi.fn();
    const inner = createMemoryStore();
    let head = 'bad\nhead';
    const store: ReplayStore = {
      append: (request) => inner.append(request),
      head: () => Promise.resolve(head),
      readAfter: async (id) => ({ ...(await inner.readAfter(id)), head }),
    };
    const emitter = createEmitter({ events, store, onError });
    const refused = await emitter.fetchHandler(new Request('http://localhost/'));
    expect(refused.status).toBe(503);
    expect(onError).toHaveBeenLastCalledWith(expect.objectContaining({ code: 'store-failed' }));

    head = await inner.head();
    const stream = await open(await emitter.fetchHandler(new Request('http://localhost/')));
    await vi.waitFor(() => expect(stream.received.length).toBe(1));
    head = 'x-1\r\nevent: injected';
    const resumed = await open(
      await emitter.fetchHandler(
        new Request('http://localhost/', { headers: { 'Last-Event-ID': 'other-1' } }),
      ),
    );
    await vi.waitFor(() => expect(resumed.ended()).toBe(true));
    expect(resumed.received).toEqual([]);
    expect(onError).toHaveBeenLastCalledWith(expect.objectContaining({ code: 'store-failed' }));
    expect(emitter.stats().clients).toBe(1);
    await emitter.close();
  });

  it('sends an event targeted at several channels once to a connection in more than one', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const stream = await open(
      await emitter.fetchHandler(new Request('http://localhost/'), { channels: () => ['a', 'b'] }),
    );
    const other = await open(
      await emitter.fetchHandler(new Request('http://localhost/'), { channels: () => ['b', 'c'] }),
    );
    const result = await emitter.to('a', 'b', 'c', 'a').send('note', { text: 'once' });
    expect(result.delivered).toBe(2);
    // A marker broadcast after it: once it arrived, anything sent before it has arrived too (one
    // ordered stream), so a duplicate would sit between the note and the marker.
    await emitter.broadcast('note', { text: 'marker' });
    await vi.waitFor(() => expect([stream.received.length, other.received.length]).toEqual([3, 3]));
    const texts = (received: ParsedEvent[]) => received.slice(1).map((event) => JSON.parse(event.data).text);
    expect([texts(stream.received), texts(other.received)]).toEqual([
      ['once', 'marker'],
      ['once', 'marker'],
    ]);
    await emitter.close();
    await vi.waitFor(() => expect(stream.ended() && other.ended()).toBe(true));
  });

  it('tells the stream position with head(), and a resume from it gets exactly the events after it', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const empty = await emitter.head();
    expect(empty).toMatch(/-0$/);
    await emitter.broadcast('note', { text: 'before' });
    const { id } = await emitter.broadcast('note', { text: 'in the snapshot' });
    const position = await emitter.head();
    expect(position).toBe(id);
    await emitter.broadcast('note', { text: 'after' });
    const stream = await open(
      await emitter.fetchHandler(
        new Request('http://localhost/', { headers: { 'Last-Event-ID': position } }),
      ),
    );
    await vi.waitFor(() => expect(stream.received.length).toBe(2));
    expect(stream.received.map((event) => [event.event, event.data])).toEqual([
      ['sse:hello', expect.any(String)],
      ['note', '{"text":"after"}'],
    ]);
    await emitter.close();
  });

  it('counts what it sends in stats()', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const first = await open(await emitter.fetchHandler(new Request('http://localhost/')));
    const sent = await emitter.broadcast('note', { text: 'a' });
    await vi.waitFor(() => expect(first.received.length).toBe(2));
    await first.cancel();
    await emitter.broadcast('note', { text: 'b' });
    const resumed = await open(
      await emitter.fetchHandler(new Request('http://localhost/', { headers: { 'Last-Event-ID': sent.id } })),
    );
    await vi.waitFor(() => expect(resumed.received.length).toBe(2));
    const reset = await open(
      await emitter.fetchHandler(
        new Request('http://localhost/', { headers: { 'Last-Event-ID': 'gone-1' } }),
      ),
    );
    await vi.waitFor(() => expect(reset.received.length).toBe(2));
    const stats = emitter.stats();
    expect(stats).toMatchObject({
      clients: 2,
      channels: 2,
      published: 2,
      sent: 1,
      replayed: 1,
      resets: 1,
      slowDisconnects: 0,
    });
    expect(stats.bytes).toBeGreaterThan(0);
    await emitter.close();
  });
});
