import type { IncomingMessage } from 'node:http';
import { HELLO_EVENT, helloSchema } from '@app/sse-protocol';
import { openRaw, type RawStream, settle, waitFor } from '@app/test-utils';
import express from 'express';
import { describe, expect, it, vi } from 'vitest';
import {
  type ConnectionInfo,
  createEmitter,
  createMemoryStore,
  type DisconnectInfo,
  type HandlerOptions,
  isSseServerError,
} from '../src/index';
import { events } from './support/catalog';
import { controlledStore, createGate } from './support/controlled-store';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** Records every hook call, in order, with what the emitter held at that moment. */
function recordHooks<Req>(readClients: () => number) {
  const calls: { hook: 'connect' | 'disconnect'; clientId: string; clientsThen: number }[] = [];
  const connects: ConnectionInfo<Req>[] = [];
  const disconnects: DisconnectInfo<Req>[] = [];
  const hooks = {
    onConnect(info: ConnectionInfo<Req>) {
      connects.push(info);
      calls.push({ hook: 'connect', clientId: info.clientId, clientsThen: readClients() });
    },
    onDisconnect(info: DisconnectInfo<Req>) {
      disconnects.push(info);
      calls.push({ hook: 'disconnect', clientId: info.clientId, clientsThen: readClients() });
    },
  } satisfies HandlerOptions<Req>;
  /** Checks that each connection got one connect, then at most one disconnect. */
  function expectPaired(): void {
    const seen = new Map<string, string[]>();
    for (const { hook, clientId } of calls) seen.set(clientId, [...(seen.get(clientId) ?? []), hook]);
    for (const sequence of seen.values())
      expect(['connect', 'connect,disconnect']).toContain(sequence.join());
  }
  return { calls, connects, disconnects, hooks, expectPaired };
}

const clientIdOf = (stream: RawStream) =>
  helloSchema.parse(JSON.parse(stream.events[0]?.data ?? '')).clientId;

describe('onConnect and onDisconnect', () => {
  it('report an accepted stream with its ID, user, channels and typed request, then its end once', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const recorded = recordHooks<express.Request>(() => emitter.stats().clients);
    const app = express();
    app.get(
      '/events',
      emitter.handler({
        authorize: (req: express.Request) => ({ userId: String(req.get('x-user')) }),
        channels: () => ['room:1'],
        onConnect(info) {
          recorded.hooks.onConnect(info);
          // Sent from the hook: the new connection gets it after its sse:hello.
          void emitter.to(`client:${info.clientId}`).send('notification', { message: 'welcome' });
        },
        onDisconnect: recorded.hooks.onDisconnect,
      }),
    );
    const url = await fixture.serve(emitter, app);
    const raw = await fixture.open(url, { headers: { 'x-user': 'ada' } });
    const [hello, welcome] = await raw.waitForEvents(2);
    expect(hello?.event).toBe(HELLO_EVENT);
    expect(welcome).toMatchObject({ event: 'notification', data: '{"message":"welcome","severity":"info"}' });
    const clientId = clientIdOf(raw);

    expect(recorded.connects).toHaveLength(1);
    const [connected] = recorded.connects;
    expect(connected).toMatchObject({
      clientId,
      userId: 'ada',
      channels: [`client:${clientId}`, 'user:ada', 'room:1'],
    });
    // The request as the endpoint typed it: Express's, with its helpers.
    expect(connected?.request.get('x-user')).toBe('ada');
    expect(connected?.request.path).toBe('/events');
    // Registered when told: it counts in stats() already.
    expect(recorded.calls[0]?.clientsThen).toBe(1);

    // Nothing else was sent to it: a marker sent now is its third event.
    await emitter.to(`client:${clientId}`).send('notification', { message: 'marker' });
    const third = (await raw.waitForEvents(3))[2];
    expect(JSON.parse(third?.data ?? '{}')).toMatchObject({ message: 'marker' });
    expect(emitter.subscribe(clientId, 'room:2')).toBe(true);
    raw.destroy();
    await waitFor(() => expect(recorded.disconnects, 'onDisconnect').toHaveLength(1));
    const [disconnected] = recorded.disconnects;
    expect(disconnected).toMatchObject({
      clientId,
      userId: 'ada',
      reason: 'client-gone',
      channels: [`client:${clientId}`, 'user:ada', 'room:1', 'room:2'],
    });
    expect(disconnected?.request).toBe(connected?.request);
    // Out of every channel and of stats() by then.
    expect(recorded.calls[1]?.clientsThen).toBe(0);
    // The copies handed out are not the connection's own list.
    expect(connected?.channels).toHaveLength(3);
    // close() reports every stream it ends before it resolves: none is left to report twice.
    await emitter.close();
    expect(recorded.calls.map((call) => call.hook)).toEqual(['connect', 'disconnect']);
  });

  it('never run for a refused stream: 401, 400, 405, HEAD, 503 over either limit or while closing', async () => {
    const gate = createGate();
    const onError = vi.fn();
    const emitter = createEmitter({ events, heartbeatMs: 0, maxClients: 3, maxClientsPerUser: 1, onError });
    const recorded = recordHooks<IncomingMessage>(() => emitter.stats().clients);
    let channelsCalls = 0;
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        authorize: async (req) => {
          await gate.wait();
          const user = req.headers['x-user'];
          return typeof user === 'string' ? { userId: user } : false;
        },
        // Runs before the limits are checked: a stream refused after it must not count as a join.
        channels: () => {
          channelsCalls += 1;
          return ['lobby'];
        },
        ...recorded.hooks,
      }),
    );
    /** The status of an answer that is complete (a refusal, or HEAD). */
    const statusOf = async (headers: Record<string, string>, method = 'GET') => {
      const raw = await fixture.open(url, { headers, method });
      await raw.waitForEnd();
      return raw.status;
    };
    const accept = async (user: string) => {
      const raw = await fixture.open(url, { headers: { 'x-user': user } });
      await raw.waitForEvents(1);
    };

    await accept('ada');
    expect(await statusOf({ 'x-user': 'carol' }, 'HEAD')).toBe(200);
    await accept('bob');
    expect(await statusOf({})).toBe(401);
    expect(await statusOf({ 'x-user': 'carol', 'Last-Event-ID': 'not-an-id' })).toBe(400);
    expect(await statusOf({ 'x-user': 'carol' }, 'POST')).toBe(405);
    expect(await statusOf({ 'x-user': 'ada' })).toBe(503); // maxClientsPerUser
    await accept('carol');
    expect(await statusOf({ 'x-user': 'frank' })).toBe(503); // maxClients
    // ada, HEAD, bob, ada again, carol and frank got past channels(); three streams were accepted.
    expect(channelsCalls).toBe(6);
    expect(recorded.connects.map((info) => info.userId)).toEqual(['ada', 'bob', 'carol']);
    expect(recorded.calls).toHaveLength(3);

    // A stream still being authorised when close() runs is refused afterwards: never a join.
    gate.shut();
    const whileClosing = fixture.open(url, { headers: { 'x-user': 'dave' } });
    await waitFor(() => expect(gate.reached, 'the request to reach authorize').toBe(7));
    await emitter.close();
    expect(recorded.disconnects.map((info) => [info.userId, info.reason])).toEqual([
      ['ada', 'closed'],
      ['bob', 'closed'],
      ['carol', 'closed'],
    ]);
    gate.open();
    const late = await whileClosing;
    await late.waitForEnd();
    expect(late.status).toBe(503);
    expect(await statusOf({ 'x-user': 'erin' })).toBe(503);

    expect(recorded.calls).toHaveLength(6);
    recorded.expectPaired();
    expect(onError).not.toHaveBeenCalled();
  });

  it('pair exactly once per accepted stream across 200 connect/disconnect cycles mixed with refusals', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, maxClientsPerUser: 1 });
    const recorded = recordHooks<IncomingMessage>(() => emitter.stats().clients);
    const url = await fixture.serve(
      emitter,
      emitter.handler({ authorize: (req) => ({ userId: String(req.headers['x-user']) }), ...recorded.hooks }),
    );
    const users = 20;
    const rounds = 10;
    let accepted = 0;
    let refused = 0;
    const acceptedIds: string[] = [];
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        Array.from({ length: users }, async (_, index) => {
          // Two streams of one user at once, one allowed: the other is refused after channels().
          const pair = await Promise.all(
            [0, 1].map(() => openRaw(url, { headers: { 'x-user': `user-${index}` } })),
          );
          for (const stream of pair) {
            if (stream.status === 200) {
              accepted += 1;
              await stream.waitForEvents(1);
              acceptedIds.push(clientIdOf(stream));
            } else {
              expect(stream.status).toBe(503);
              refused += 1;
            }
            stream.destroy();
            await stream.waitForEnd();
          }
        }),
      );
      // The next round's pairs must find each user's slot free again.
      await waitFor(() => expect(emitter.stats().clients, 'the round to be forgotten').toBe(0));
    }
    expect(accepted).toBe(users * rounds);
    expect(refused).toBe(users * rounds);
    await waitFor(() => expect(recorded.disconnects, 'every onDisconnect').toHaveLength(accepted));
    await emitter.close();
    expect(recorded.connects).toHaveLength(accepted);
    expect(recorded.disconnects).toHaveLength(accepted);
    const connected = recorded.connects.map((info) => info.clientId);
    expect(new Set(connected).size).toBe(accepted);
    expect(new Set(connected)).toEqual(new Set(acceptedIds));
    expect(new Set(recorded.disconnects.map((info) => info.clientId))).toEqual(new Set(acceptedIds));
    expect(recorded.disconnects.every((info) => info.reason === 'client-gone')).toBe(true);
    recorded.expectPaired();
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
  }, 30_000);

  it('report every stream close() ends, replaying ones included, before close() resolves', async () => {
    const controlled = controlledStore();
    const emitter = createEmitter({ events, heartbeatMs: 0, store: controlled.store });
    const recorded = recordHooks<IncomingMessage>(() => emitter.stats().clients);
    const url = await fixture.serve(emitter, emitter.handler(recorded.hooks));
    const live = await Promise.all([0, 1, 2].map(() => fixture.open(url)));
    await Promise.all(live.map((stream) => stream.waitForEvents(1)));
    // One more whose replay read is still in flight.
    controlled.read.shut();
    const replaying = await fixture.open(url);
    await waitFor(() => expect(recorded.connects, 'the fourth onConnect').toHaveLength(4));
    expect(replaying.events).toEqual([]);

    await emitter.close({ retryMs: 10 });
    expect(recorded.disconnects).toHaveLength(4);
    expect(recorded.disconnects.every((info) => info.reason === 'closed')).toBe(true);
    controlled.read.open();
    for (const stream of [...live, replaying]) await stream.waitForEnd();
    await settle();
    expect(recorded.calls).toHaveLength(8);
    recorded.expectPaired();
  });

  it('report a slow reader dropped for maxBufferedBytes once, with the reason slow-consumer', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, maxBufferedBytes: 64 * 1024 });
    const recorded = recordHooks<IncomingMessage>(() => emitter.stats().clients);
    const url = await fixture.serve(emitter, emitter.handler(recorded.hooks));
    const slow = await fixture.open(url, { paused: true });
    await waitFor(() => expect(recorded.connects, 'onConnect').toHaveLength(1));
    const text = 's'.repeat(4000);
    for (let n = 0; n < 20_000 && emitter.stats().slowDisconnects === 0; n++) {
      await emitter.broadcast('blob', { text });
      if (n % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(emitter.stats().slowDisconnects).toBe(1);
    expect(recorded.disconnects.map((info) => info.reason)).toEqual(['slow-consumer']);
    slow.res.resume();
    await slow.waitForEnd();
    await settle();
    expect(recorded.calls.map((call) => call.hook)).toEqual(['connect', 'disconnect']);
  });

  it('report a stream ended because the replay store failed, with the reason store-failed', async () => {
    const onError = vi.fn();
    const inner = createMemoryStore();
    const store = { ...inner, readAfter: () => Promise.reject(new Error('store down')) };
    const emitter = createEmitter({ events, heartbeatMs: 0, store, onError });
    const recorded = recordHooks<IncomingMessage>(() => emitter.stats().clients);
    const url = await fixture.serve(emitter, emitter.handler(recorded.hooks));
    const raw = await fixture.open(url);
    await raw.waitForEnd();
    await waitFor(() => expect(recorded.disconnects, 'onDisconnect').toHaveLength(1));
    expect(recorded.disconnects[0]?.reason).toBe('store-failed');
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({
        code: 'store-failed',
        cause: expect.objectContaining({ message: 'store down' }),
      }),
    );
    recorded.expectPaired();
  });

  it('send what a hook throws or rejects with to onError; the stream and the server go on', async () => {
    const onError = vi.fn();
    const emitter = createEmitter({ events, heartbeatMs: 0, onError });
    const url = await fixture.serve(
      emitter,
      emitter.handler({
        onConnect: () => {
          throw new Error('onConnect failed');
        },
        onDisconnect: async () => {
          await Promise.resolve();
          throw new Error('onDisconnect failed');
        },
      }),
    );
    const first = await fixture.open(url);
    await first.waitForEvents(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'onConnect failed' }));
    expect((await emitter.broadcast('tick', { n: 1 })).delivered).toBe(1);
    await first.waitForEvents(2);
    first.destroy();
    await waitFor(() => expect(onError.mock.calls, 'the rejection to reach onError').toHaveLength(2));
    expect(onError).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'onDisconnect failed' }));
    const second = await fixture.open(url);
    expect(second.status).toBe(200);
    await second.waitForEvents(1);
    expect(emitter.stats().clients).toBe(1);
  });

  it('report fetchHandler streams with the Request, cancelled or aborted, and never a refused one', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    fixture.sse = emitter;
    const recorded = recordHooks<Request>(() => emitter.stats().clients);
    const options: HandlerOptions<Request> = {
      authorize: (request) => request.headers.get('x-user') !== null,
      ...recorded.hooks,
    };
    const open = (init: RequestInit = {}) =>
      emitter.fetchHandler(
        new Request('http://localhost/events', { headers: { 'x-user': 'a' }, ...init }),
        options,
      );

    expect((await open({ headers: {} })).status).toBe(401);
    expect((await open({ method: 'POST', body: 'x' })).status).toBe(405);
    expect((await open({ method: 'HEAD' })).status).toBe(200);
    expect(recorded.calls).toEqual([]);

    const cancelled = await open();
    expect(recorded.connects[0]?.request.headers.get('x-user')).toBe('a');
    await cancelled.body?.cancel();
    const controller = new AbortController();
    await open({ signal: controller.signal });
    controller.abort();
    expect(recorded.disconnects.map((info) => info.reason)).toEqual(['client-gone', 'client-gone']);
    expect(recorded.disconnects[1]?.request).toBe(recorded.connects[1]?.request);
    recorded.expectPaired();
  });

  it('refuse hooks that are not functions when the endpoint is made', async () => {
    const emitter = createEmitter({ events });
    fixture.sse = emitter;
    const invalid = { onConnect: 'log' } as unknown as HandlerOptions<IncomingMessage>;
    expect(() => emitter.handler(invalid)).toThrow(
      '@app/sse-server: onConnect must be a function, got string',
    );
    await expect(
      emitter.fetchHandler(new Request('http://localhost/'), { onDisconnect: 1 } as never),
    ).rejects.toSatisfy((error: unknown) => isSseServerError(error) && error.code === 'invalid-option');
  });
});
