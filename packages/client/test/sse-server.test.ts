import { createEmitter, createMemoryStore, type ReplayStore } from '@app/sse-server';
import { listen, waitFor } from '@app/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client';
import type { ResetInfo, SseClient } from '../src/client-api';
import type { SseClientError } from '../src/errors';
import type { ClientOptions } from '../src/options';
import { events } from './support/catalog';
import { faultyProxy } from './support/faulty-proxy';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An emitter serving on a real node:http server on 127.0.0.1. */
async function serve(options: { store?: ReplayStore; heartbeatMs?: number; events?: typeof events } = {}) {
  const sse = createEmitter({
    events: options.events ?? events,
    heartbeatMs: options.heartbeatMs ?? 0,
    retryMs: 20,
    ...(options.store === undefined ? {} : { store: options.store }),
  });
  const server = await listen(sse.handler());
  cleanups.push(
    () => sse.close(),
    () => server.close(),
  );
  return { sse, server };
}

/** A client recording the user:left IDs it receives, its resets and its errors. */
function recordingClient(
  options: Partial<ClientOptions<typeof events>> & Pick<ClientOptions<typeof events>, 'url'>,
) {
  const client: SseClient<typeof events> = createClient({
    events,
    backoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  cleanups.push(() => client.close());
  const received: string[] = [];
  const resets: ResetInfo[] = [];
  const errors: SseClientError[] = [];
  client.on('user:left', (data) => void received.push(data.userId));
  client.onReset((info) => void resets.push(info));
  client.onError((error) => void errors.push(error));
  return { client, received, resets, errors };
}

function numbers(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, index) => String(from + index));
}

describe('against @app/sse-server', { timeout: 20_000 }, () => {
  it('loses and repeats nothing while connections are cut in the middle of events', async () => {
    const { sse, server } = await serve();
    const proxy = await faultyProxy(server.port);
    cleanups.push(() => proxy.close());
    const { client, received, resets } = recordingClient({ url: `${proxy.origin}/events` });
    await waitFor(() => expect(client.getSnapshot().clientId, 'the hello').not.toBeNull());
    let published = 0;
    for (let round = 1; round <= 8; round++) {
      proxy.cutMidEvent();
      for (let index = 0; index < 25; index++)
        await sse.broadcast('user:left', { userId: String(published++) });
      await waitFor(() => {
        expect(proxy.cuts, `round ${round}`).toBe(round);
        expect(received.length, `round ${round}`).toBeGreaterThanOrEqual(published);
      });
    }
    expect(received).toEqual(numbers(0, 200));
    expect(proxy.connections).toBe(9);
    expect(resets).toEqual([]);
  });

  it('resumes across a server restart on a store that outlives it, with no gap and no duplicate', async () => {
    const history = createMemoryStore();
    // A store that survives the emitter, as a shared (Redis) store does across a restart.
    const durable: ReplayStore = {
      append: (request) => history.append(request),
      readAfter: (id) => history.readAfter(id),
      head: () => history.head(),
    };
    const first = await serve({ store: durable });
    let origin = first.server.origin;
    const { client, received, resets } = recordingClient({ url: () => `${origin}/events` });
    await waitFor(() => {
      expect(client.state, 'the hello').toBe('open');
      expect(client.getSnapshot().clientId, 'the hello').not.toBeNull();
    });
    for (let index = 0; index < 10; index++)
      await first.sse.broadcast('user:left', { userId: String(index) });
    await waitFor(() => expect(received, 'the first events').toHaveLength(10));
    const resumeFrom = client.lastEventId;

    await first.sse.close({ retryMs: 50 });
    await first.server.close();
    const second = await serve({ store: durable });
    // Published while the client is away (its attempts still go to the stopped server): it must
    // get them from the replay.
    for (let index = 10; index < 20; index++)
      await second.sse.broadcast('user:left', { userId: String(index) });
    expect(received).toHaveLength(10);
    origin = second.server.origin;
    await waitFor(() => expect(received, 'the replay').toHaveLength(20));
    for (let index = 20; index < 30; index++)
      await second.sse.broadcast('user:left', { userId: String(index) });
    await waitFor(() => expect(received, 'the live events').toHaveLength(30));

    expect(received).toEqual(numbers(0, 30));
    expect(resets).toEqual([]);
    expect(resumeFrom).toMatch(/^\w+-10$/);
    expect(client.lastEventId).toBe(resumeFrom.replace(/-10$/, '-30'));
  });

  it('tells onReset when a restarted server lost the history, then goes on live', async () => {
    const first = await serve();
    let origin = first.server.origin;
    const { client, received, resets } = recordingClient({ url: () => `${origin}/events` });
    await waitFor(() => expect(client.getSnapshot().clientId, 'the hello').not.toBeNull());
    await first.sse.broadcast('user:left', { userId: 'before' });
    await waitFor(() => expect(received, 'the first event').toHaveLength(1));
    const before = client.lastEventId;
    await first.sse.close();
    await first.server.close();

    const second = await serve();
    origin = second.server.origin;
    await waitFor(() => expect(resets, 'the reset').toHaveLength(1));
    expect(resets).toEqual([{ reason: 'epoch-changed', lastEventId: before }]);
    await waitFor(() => expect(client.state, 'the new stream').toBe('open'));
    await second.sse.broadcast('user:left', { userId: 'after' });
    await waitFor(() => expect(received, 'the next event').toHaveLength(2));
    expect(received).toEqual(['before', 'after']);
    expect(client.lastEventId.split('-')[0]).not.toBe(before.split('-')[0]);
  });

  it('sees a stalled connection through the heartbeat watchdog and resumes', async () => {
    const { sse, server } = await serve({ heartbeatMs: 200 });
    const proxy = await faultyProxy(server.port);
    cleanups.push(() => proxy.close());
    // 5 intervals (1 s) of tolerance: a loaded machine may delay a heartbeat a little.
    const { client, received, errors } = recordingClient({ url: `${proxy.origin}/events`, watchdog: 5 });
    await waitFor(() => expect(client.getSnapshot().clientId, 'the hello').not.toBeNull());
    // A quiet but healthy stream: heartbeats only, 8 of them written (`: ping\n`, 7 bytes each).
    const bytesBefore = sse.stats().bytes;
    await waitFor(() =>
      expect(sse.stats().bytes, 'eight heartbeats').toBeGreaterThanOrEqual(bytesBefore + 8 * 7),
    );
    expect(errors).toEqual([]);
    expect(proxy.connections).toBe(1);
    proxy.stallOpenConnections();
    await sse.broadcast('user:left', { userId: 'while-stalled' });
    await waitFor(() =>
      expect(
        errors.some((error) => error.code === 'watchdog'),
        'the watchdog',
      ).toBe(true),
    );
    await waitFor(() => expect(received, 'the replayed event').toHaveLength(1));
    expect(received).toEqual(['while-stalled']);
    // At least one reconnect; a starved machine may need more, never a duplicate delivery.
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
  });

  it('reports a server built from another catalog once, and keeps taking valid events', async () => {
    const { defineEvents } = await import('@app/sse-protocol');
    const { z } = await import('zod');
    const serverEvents = defineEvents({ ...events.events, 'user:kicked': z.object({ userId: z.string() }) });
    const sse = createEmitter({ events: serverEvents, heartbeatMs: 0, retryMs: 20 });
    const server = await listen(sse.handler());
    cleanups.push(
      () => sse.close(),
      () => server.close(),
    );
    const { client, received, errors } = recordingClient({ url: `${server.origin}/events` });
    await waitFor(() => expect(client.getSnapshot().clientId, 'the hello').not.toBeNull());
    await sse.broadcast('user:kicked', { userId: 'k' });
    await sse.broadcast('user:left', { userId: 'l' });
    await waitFor(() => expect(received, 'the valid event').toHaveLength(1));
    expect(errors.map((error) => [error.code, error.event])).toEqual([
      ['catalog-mismatch', 'sse:hello'],
      ['unknown-event', 'user:kicked'],
    ]);
  });

  it('stops on a refusal from authorize, and honours Retry-After over maxClients', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, retryMs: 20, maxClients: 1 });
    const server = await listen(
      sse.handler({ authorize: (req) => req.headers.authorization === 'Bearer ok' }),
    );
    cleanups.push(
      () => sse.close(),
      () => server.close(),
    );
    const refused = recordingClient({
      url: `${server.origin}/events`,
      headers: { authorization: 'Bearer bad' },
    });
    await waitFor(() => expect(refused.client.state, 'the refusal').toBe('closed'));
    expect(refused.errors.map((error) => [error.code, error.status, error.fatal])).toEqual([
      ['unauthorized', 401, true],
    ]);
    const admitted = recordingClient({
      url: `${server.origin}/events`,
      headers: { authorization: 'Bearer ok' },
    });
    await waitFor(() => expect(admitted.client.state, 'the first client').toBe('open'));
    const tooMany = recordingClient({
      url: `${server.origin}/events`,
      headers: () => ({ authorization: 'Bearer ok' }),
      random: () => 0,
    });
    await waitFor(() => expect(tooMany.errors, 'the 503').toHaveLength(1));
    expect(tooMany.errors[0]).toMatchObject({ code: 'http-status', status: 503, fatal: false });
    // The server asks for Retry-After: 1 (whole seconds, at least 1); random 0 adds no jitter.
    expect(tooMany.client.getSnapshot().retryAt! - Date.now()).toBeGreaterThan(900);
    admitted.client.close();
    await waitFor(() => expect(tooMany.client.state, 'the retry after Retry-After').toBe('open'), {
      timeoutMs: 10_000,
    });
    expect(server.requests).toBe(4);
  });

  it('resumes through the lastEventId query parameter with the eventsource transport', async () => {
    const { EventSource } = await import('eventsource');
    const { sse, server } = await serve();
    const proxy = await faultyProxy(server.port);
    cleanups.push(() => proxy.close());
    const { client, received } = recordingClient({
      url: `${proxy.origin}/events`,
      transport: 'eventsource',
      EventSource,
    });
    await waitFor(() => expect(client.getSnapshot().clientId, 'the hello').not.toBeNull());
    let published = 0;
    for (let round = 1; round <= 3; round++) {
      proxy.cutMidEvent();
      for (let index = 0; index < 20; index++)
        await sse.broadcast('user:left', { userId: String(published++) });
      await waitFor(() => {
        expect(proxy.cuts, `round ${round}`).toBe(round);
        expect(received.length, `round ${round}`).toBeGreaterThanOrEqual(published);
      });
    }
    expect(received).toEqual(numbers(0, 60));
    expect(proxy.connections).toBe(4);
  });
});
