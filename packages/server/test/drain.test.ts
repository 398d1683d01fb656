import { connect } from 'node:net';
import { settle, settleUntil, waitFor } from '@app/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmitter, createMemoryStore, type ReplayStore } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();
afterEach(() => {
  vi.useRealTimers();
});

describe('close({ drainMs })', () => {
  it('refuses new streams at once and ends the open ones progressively, each told when to come back', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, retryMs: 3000 });
    const url = await fixture.serve(sse);
    const streams = await Promise.all([1, 2, 3, 4].map(() => fixture.open(url)));
    await Promise.all(streams.map((stream) => stream.waitForEvents(1)));
    // The drain's clock only: sockets and loopback I/O run as they do.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const closing = sse.close({ drainMs: 4000, retryMs: 250 });
    expect((await sse.health()).state).toBe('draining');

    const late = await fixture.open(url);
    expect([late.status, late.headers['retry-after']]).toEqual([503, '3']);
    // Open streams still get what is published during the drain.
    expect((await sse.broadcast('tick', { n: 1 })).delivered).toBe(4);

    const ended = () => streams.filter((stream) => stream.ended).length;
    for (const [step, expected] of [
      [1000, 1],
      [1000, 2],
      [1000, 3],
      [1000, 4],
    ] as const) {
      await vi.advanceTimersByTimeAsync(step);
      await settleUntil(() => expect(ended()).toBe(expected));
      await settle();
      expect(ended()).toBe(expected);
    }
    await closing;
    for (const stream of streams) {
      expect(stream.catalogEvents().map((event) => event.data)).toEqual(['{"n":1}']);
      expect(stream.retries).toEqual([3000, 250]);
    }
    expect(await sse.health()).toEqual({ state: 'closed', ready: false, clients: 0, store: 'closed' });
    await expect(sse.broadcast('tick', { n: 2 })).rejects.toMatchObject({ code: 'closed' });
  });

  it('ends the kept-alive connection of each stream it ends, so that the reconnection can go to another instance', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0 });
    const url = new URL(await fixture.serve(sse));
    // Longer than the test may run: the connection must end because the stream did, not idle.
    if (fixture.server !== undefined) fixture.server.server.keepAliveTimeout = 60_000;
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    const serverEnded = new Promise<void>((resolve) => socket.once('end', resolve));
    socket.write(`GET /events HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    await waitFor(() => expect(received, 'the stream to open').toContain('sse:hello'));
    expect(received).toContain('Connection: keep-alive');

    await sse.close({ retryMs: 250 });
    // The response is complete (its last chunk), then the server closes the connection. Kept
    // alive, it would carry the client's reconnection back here, to be answered 503.
    await serverEnded;
    expect(received).toMatch(/retry: 250\n\n\r\n0\r\n\r\n$/);
    socket.destroy();
  });

  it('resolves as soon as every stream has gone by itself, without waiting for the end of the window', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0 });
    const url = await fixture.serve(sse);
    const streams = await Promise.all([1, 2].map(() => fixture.open(url)));
    await Promise.all(streams.map((stream) => stream.waitForEvents(1)));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let closed = false;
    const closing = sse.close({ drainMs: 600_000 }).then(() => {
      closed = true;
    });
    for (const stream of streams) stream.destroy();
    await settleUntil(() => expect(sse.stats().clients).toBe(0));
    await vi.advanceTimersByTimeAsync(250); // one step of the drain, not its ten minutes
    await closing;
    expect(closed).toBe(true);
    expect(sse.metrics().closed).toMatchObject({ 'client-gone': 2, closed: 0 });
  });

  it('returns the same promise when called again, and refuses a bad window without closing', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0 });
    await expect(sse.close({ drainMs: -1 })).rejects.toMatchObject({
      code: 'invalid-option',
      reason: 'close({ drainMs }) must be an integer at least 0 and at most 2147483647, got -1',
    });
    expect((await sse.health()).state).toBe('open');
    const first = sse.close({ drainMs: 10 });
    expect(sse.close()).toBe(first);
    await first;
    expect((await sse.health()).state).toBe('closed');
  });
});

describe('health()', () => {
  it('is ready while open with a store that answers, and says so when the store does not', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0 });
    fixture.sse = sse;
    expect(await sse.health()).toEqual({ state: 'open', ready: true, clients: 0, store: 'ok' });
    const down: ReplayStore = { ...createMemoryStore(), head: () => Promise.reject(new Error('down')) };
    const broken = createEmitter({ events, heartbeatMs: 0, store: down });
    expect(await broken.health()).toEqual({ state: 'open', ready: false, clients: 0, store: 'unavailable' });
    await broken.close();
    const throwing: ReplayStore = {
      ...createMemoryStore(),
      head: () => {
        throw new Error('down');
      },
    };
    const thrower = createEmitter({ events, heartbeatMs: 0, store: throwing });
    expect(await thrower.health()).toEqual({ state: 'open', ready: false, clients: 0, store: 'unavailable' });
    await thrower.close();
  });
});
