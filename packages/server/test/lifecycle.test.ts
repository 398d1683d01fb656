import { connect } from 'node:net';
import { RESET_EVENT } from '@app/sse-protocol';
import { openRaw, waitFor } from '@app/test-utils';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmitter, type Emitter, isSseServerError, type NodeHandler } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();
afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the intervals created and not cleared since the call (the spies call through). */
function trackIntervals(): () => number {
  const created = vi.spyOn(globalThis, 'setInterval');
  const cleared = vi.spyOn(globalThis, 'clearInterval');
  return () => {
    const live = new Set(created.mock.results.map((result) => result.value as unknown));
    for (const [handle] of cleared.mock.calls) live.delete(handle);
    return live.size;
  };
}

/** The two node adapters' cases of a test: the name, and whether the handler is mounted under Express. */
const NODE_AND_EXPRESS = [
  ['node:http', false],
  ['Express', true],
] as const;

/**
 * Serves `handler` (under Express when `viaExpress`) and opens a raw TCP connection to it.
 *
 * @returns the stream URL, the socket, and what it received so far
 */
async function serveOnRawSocket(emitter: Emitter<typeof events>, handler: NodeHandler, viaExpress: boolean) {
  const app = express();
  app.get('/events', handler);
  const url = new URL(await fixture.serve(emitter, viaExpress ? app : handler));
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  return { url, socket, received: () => text };
}

describe('heartbeat', () => {
  it('writes heartbeat comments from one shared timer, stopped when no stream is open', async () => {
    const intervals = trackIntervals();
    const emitter = createEmitter({ events, heartbeatMs: 40 });
    const url = await fixture.serve(emitter);
    expect(intervals()).toBe(0);
    const streams = await Promise.all(Array.from({ length: 10 }, () => openRaw(url)));
    fixture.raws.push(...streams);
    await Promise.all(streams.map((stream) => stream.waitForEvents(1)));
    expect(intervals()).toBe(1);
    await waitFor(() =>
      expect(
        streams.every((stream) => stream.comments.filter((c) => c === 'ping').length >= 2),
        'pings',
      ).toBe(true),
    );
    const [hello] = streams[0]?.events ?? [];
    expect(JSON.parse(hello?.data ?? '').heartbeatMs).toBe(40);
    for (const stream of streams) stream.destroy();
    await waitFor(() => expect(emitter.stats().clients, 'every stream to close').toBe(0));
    expect(intervals()).toBe(0);
  });
});

describe('heartbeat slices', () => {
  it('spreads the heartbeats over the interval: a tick writes to one slice, each stream gets one per interval', async () => {
    // Only the heartbeat's interval is faked: sockets, and the waits below, run in real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const emitter = createEmitter({ events, heartbeatMs: 2000 });
      const url = await fixture.serve(emitter);
      const streams = await Promise.all(Array.from({ length: 4 }, () => openRaw(url)));
      fixture.raws.push(...streams);
      await Promise.all(streams.map((stream) => stream.waitForEvents(1)));
      const pings = () => streams.map((stream) => stream.comments.filter((c) => c === 'ping').length);

      // 2,000 ms is cut into two slices, a tick a second, each writing to half the streams.
      // The metric counts heartbeats once handed to the responses, at the end of the tick's turn.
      vi.advanceTimersByTime(1000);
      await waitFor(() => expect(pings().reduce((sum, n) => sum + n, 0)).toBe(2));
      expect([...pings()].sort()).toEqual([0, 0, 1, 1]);
      expect(emitter.metrics().heartbeats).toBe(2);
      vi.advanceTimersByTime(1000);
      await waitFor(() => expect(pings()).toEqual([1, 1, 1, 1]));
      expect(emitter.metrics().heartbeats).toBe(4);
      vi.advanceTimersByTime(2000);
      await waitFor(() => expect(pings()).toEqual([2, 2, 2, 2]));
      expect(emitter.metrics().heartbeats).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('graceful close', () => {
  it('tells every stream when to come back, ends it, and refuses new streams and events', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 1000 });
    const url = await fixture.serve(emitter);
    const streams = await Promise.all([
      openRaw(url),
      openRaw(url),
      openRaw(url, { headers: { 'Last-Event-ID': 'old-3' } }),
    ]);
    fixture.raws.push(...streams);
    await Promise.all(streams.map((stream) => stream.waitForEvents(1)));
    await streams[2]?.waitForEvents(2);
    expect(streams[2]?.events[1]?.event).toBe(RESET_EVENT);
    await emitter.broadcast('tick', { n: 1 });
    await Promise.all(streams.map((stream) => stream.waitForEvents(2)));

    await emitter.close({ retryMs: 1234 });
    for (const stream of streams) {
      await stream.waitForEnd();
      expect(stream.retries).toEqual([3000, 1234]);
      expect(stream.text.endsWith('retry: 1234\n\n')).toBe(true);
      expect(stream.res.complete).toBe(true);
    }
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });

    const late = await fixture.open(url);
    await late.waitForEnd();
    expect(late.status).toBe(503);
    expect(late.headers['retry-after']).toBe('3');
    await expect(emitter.broadcast('tick', { n: 2 })).rejects.toSatisfy(
      (error: unknown) => isSseServerError(error) && error.code === 'closed',
    );
    await expect(emitter.close()).resolves.toBeUndefined();
  });
});

describe('cleanup', () => {
  it('holds nothing after 1,000 connect/disconnect cycles', async () => {
    const intervals = trackIntervals();
    const emitter = createEmitter({ events, heartbeatMs: 10_000, maxClientsPerUser: 1 });
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        authorize: (req) => ({ userId: String(req.headers['x-user']) }),
        channels: () => ['lobby'],
      }),
    );
    const requestListeners = fixture.server?.server.listenerCount('request');
    expect(requestListeners).toBeGreaterThan(0);
    const processListeners = process.eventNames().map((name) => process.listenerCount(name));
    const batch = 20;
    for (let round = 0; round < 1000 / batch; round++) {
      await Promise.all(
        Array.from({ length: batch }, async (_, index) => {
          // Every user opens one stream per round: a leaked per-user count would make the next round 503.
          const stream = await openRaw(url, { headers: { 'x-user': `user-${index}` } });
          expect(stream.status).toBe(200);
          const [hello] = await stream.waitForEvents(1);
          emitter.subscribe(JSON.parse(hello?.data ?? '').clientId, `room:${round}`);
          stream.destroy();
          await stream.waitForEnd();
        }),
      );
    }
    await waitFor(() => expect(emitter.stats().clients, 'every stream to be forgotten').toBe(0));
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0, bufferedBytes: 0 });
    expect(intervals()).toBe(0);
    expect(fixture.server?.server.listenerCount('request')).toBe(requestListeners);
    expect(process.eventNames().map((name) => process.listenerCount(name))).toEqual(processListeners);
    // Every user can still open a stream.
    const again = await fixture.open(url, { headers: { 'x-user': 'user-0' } });
    expect(again.status).toBe(200);
  }, 30_000);

  it.each(NODE_AND_EXPRESS)(
    'forgets at once a %s stream whose request carried a large body the client then dropped',
    async (_name, viaExpress) => {
      // Nothing reads a GET's body: were it left unread, Node would pause the socket once its
      // buffers are full, and a paused socket never sees the client's FIN. With no heartbeat and no
      // publish, nothing would ever be written either, so the stream would hold its maxClients and
      // maxClientsPerUser slots forever and onDisconnect would never run.
      const disconnected: string[] = [];
      const emitter = createEmitter({ events, heartbeatMs: 0, maxClientsPerUser: 1 });
      const handler = emitter.handler({
        authorize: () => ({ userId: 'ada' }),
        onDisconnect: ({ reason }) => disconnected.push(reason),
      });
      const { url, socket, received } = await serveOnRawSocket(emitter, handler, viaExpress);
      const body = 'x'.repeat(256 * 1024);
      socket.write(
        `GET /events HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: ${body.length + 1}\r\n\r\n${body}`,
      );
      await waitFor(() => expect(received(), 'the stream to open').toContain('sse:hello'));
      expect(emitter.stats().clients).toBe(1);
      socket.destroy();
      await waitFor(() =>
        expect(disconnected, 'onDisconnect after the client dropped the socket').toHaveLength(1),
      );
      expect({ disconnected, clients: emitter.stats().clients }).toEqual({
        disconnected: ['client-gone'],
        clients: 0,
      });
      // The user's slot is free again: a new stream is admitted, not answered 503.
      const again = await fixture.open(url.href);
      expect(again.status).toBe(200);
    },
  );

  it.each(NODE_AND_EXPRESS)(
    'forgets %s streams pipelined behind another on one connection once the connection goes',
    async (_name, viaExpress) => {
      const disconnected: string[] = [];
      const emitter = createEmitter({ events, heartbeatMs: 0 });
      const handler = emitter.handler({ onDisconnect: ({ reason }) => disconnected.push(reason) });
      const { url, socket, received } = await serveOnRawSocket(emitter, handler, viaExpress);
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => void warnings.push(warning);
      process.on('warning', onWarning);
      try {
        // Twelve requests in one write: all but the first wait behind it, and it never ends. One
        // listener on the connection serves them all: a listener each would pass the socket's
        // limit of ten, and Node would warn of a leak whenever a client pipelines that much.
        socket.write(`GET /events HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`.repeat(12));
        await waitFor(() => expect(received(), 'the first stream to open').toContain('sse:hello'));
        await waitFor(() => expect(emitter.stats().clients, 'the queued streams registered').toBe(12));
        socket.destroy();
        await waitFor(() => expect(emitter.stats().clients, 'every stream forgotten').toBe(0));
      } finally {
        process.off('warning', onWarning);
      }
      expect(disconnected).toEqual(Array.from({ length: 12 }, () => 'client-gone'));
      expect(warnings.map((warning) => warning.name)).toEqual([]);
    },
  );

  it('holds nothing after 1,000 fetchHandler streams cancelled by their reader or aborted', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 10_000, maxClientsPerUser: 1 });
    fixture.sse = emitter;
    for (let index = 0; index < 1000; index++) {
      const controller = new AbortController();
      const response = await emitter.fetchHandler(
        new Request('http://localhost/events', { signal: controller.signal }),
        {
          authorize: () => ({ userId: 'same-user' }),
          channels: () => ['lobby', `room:${index % 7}`],
        },
      );
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      if (index % 2 === 0) await reader.cancel();
      else controller.abort();
    }
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
  });
});
