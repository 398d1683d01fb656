import { type ClientRequest, request, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { listen, settle, waitFor } from '@app/test-utils';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createEmitter,
  type Emitter,
  type HandlerOptions,
  type NodeRequest,
  type ReplayStore,
} from '../src/index';
import { events, type TestEvents } from './support/catalog';
import { controlledStore, createGate } from './support/controlled-store';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

// Every failure that escapes the emitter: an unhandled rejection, or an 'error' event nobody listens
// to (an uncaught exception). On a real server either one takes the process down.
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);
beforeAll(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

afterEach(async () => {
  vi.restoreAllMocks();
  // Closed before the check below, whichever afterEach runs first.
  await fixture.cleanup();
  // Let late callbacks (next ticks, socket errors) run before checking.
  await settle();
  expect(escaped.splice(0)).toEqual([]);
});

/** Starts an emitter behind a listener that records the last response it was given. */
async function start(
  options: Partial<Parameters<typeof createEmitter<TestEvents>>[0]> = {},
  handlerOptions: HandlerOptions<NodeRequest> = {},
) {
  const emitter = createEmitter({ events, heartbeatMs: 0, ...options });
  fixture.sse = emitter;
  const handle = emitter.handler(handlerOptions);
  const responses: ServerResponse[] = [];
  fixture.server = await listen((req, res) => {
    responses.push(res);
    handle(req, res);
  });
  return { emitter, url: `${fixture.server.origin}/events`, responses };
}

/** Sends a request without waiting for its answer; the test destroys it. */
function send(url: string, headers: Record<string, string> = {}): ClientRequest {
  const req = request(url, { headers, agent: false });
  req.on('error', () => {});
  req.end();
  fixture.onCleanup(() => req.destroy());
  return req;
}

const forgotten = (emitter: Emitter<TestEvents>) =>
  waitFor(() => {
    expect(emitter.stats().clients, 'the emitter to hold nothing').toBe(0);
    expect(emitter.stats().channels, 'the emitter to hold nothing').toBe(0);
  });

describe('writes after the response was ended by other code', () => {
  it('never writes to a response a middleware ended (a request timeout), and forgets the stream', async () => {
    const { emitter, url, responses } = await start({ heartbeatMs: 20 });
    const raw = await fixture.open(url);
    await raw.waitForEvents(1);
    // What connect-timeout or a handler of the application may do while the stream is open.
    responses[0]?.end();
    await emitter.broadcast('tick', { n: 1 });
    await emitter.broadcast('tick', { n: 2 });
    await raw.waitForEnd();
    await forgotten(emitter);
    // The client's stream has ended: nothing can arrive on it any more.
    expect(raw.catalogEvents()).toEqual([]);
  });

  it('sends nothing after the last chunk of a response ended by other code: the kept-alive connection serves the next request cleanly', async () => {
    const { emitter, responses } = await start();
    const socket = connect(fixture.server?.port ?? 0, '127.0.0.1');
    fixture.onCleanup(() => socket.destroy());
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => expect(received).toContain('\r\n\r\n'));
    await emitter.broadcast('tick', { n: 1 });
    await waitFor(() => expect(received).toContain('"n":1'));
    // Ended once the event is handed to the stream, before its frame is written (end of the turn).
    await emitter.broadcast('tick', { n: 2 }).then(() => responses[0]?.end());
    await emitter.broadcast('tick', { n: 3 });
    // The next request on the same connection: its answer must follow the last chunk directly.
    socket.write('HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => expect(received.split('HTTP/1.1 ')).toHaveLength(3));
    const [, first = '', second = ''] = received.split('HTTP/1.1 ');
    expect(
      first.endsWith('\r\n0\r\n\r\n'),
      `the first response ends with its last chunk: ${JSON.stringify(first)}`,
    ).toBe(true);
    expect(first).not.toContain('"n":2');
    expect(second.startsWith('200 OK\r\n')).toBe(true);
    await forgotten(emitter);
  });
});

describe('an onError that throws', () => {
  it('still answers the client, and the failure of onError escapes nowhere', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url } = await start(
      {
        onError: () => {
          throw new Error('the logger is down');
        },
      },
      {
        authorize: () => {
          throw new TypeError('authorize has a bug');
        },
      },
    );
    const raw = await fixture.open(url);
    await raw.waitForEnd();
    expect(raw.status).toBe(500);
    expect(logged).toHaveBeenCalledWith(
      '@app/sse-server: onError threw',
      expect.objectContaining({ message: 'the logger is down' }),
    );
  });
});

describe('a client that leaves at any point', () => {
  it('is forgotten when it leaves while channels() decides', async () => {
    const gate = createGate();
    gate.shut();
    const { emitter, url, responses } = await start(
      {},
      {
        channels: async () => {
          await gate.wait();
          return ['room:1'];
        },
      },
    );
    const req = send(url);
    await waitFor(() => expect(gate.reached, 'channels() to be called').toBe(1));
    req.destroy();
    await waitFor(() => expect(responses[0]?.destroyed, 'the server to see the client leave').toBe(true));
    gate.open();
    // What the opened gate lets run is promise jobs only: all done before the next loop turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
  });

  it('is forgotten when it leaves while the store tells its head, or while the replay is read', async () => {
    const controlled = controlledStore();
    const { emitter, url, responses } = await start({ store: controlled.store });
    await emitter.broadcast('tick', { n: 1 });

    controlled.head.shut();
    const whileHead = send(url);
    await waitFor(() => expect(controlled.head.reached, 'the head read').toBe(1));
    whileHead.destroy();
    await waitFor(() => expect(responses[0]?.destroyed, 'the first client to leave').toBe(true));
    controlled.head.open();

    controlled.read.shut();
    const whileRead = send(url, { 'Last-Event-ID': (await emitter.broadcast('tick', { n: 2 })).id });
    await waitFor(() => expect(controlled.read.reached, 'the replay read').toBe(1));
    expect(emitter.stats().clients).toBe(1);
    whileRead.destroy();
    await forgotten(emitter);
    controlled.read.open();
    // The released read continues in promise jobs only: all done before the next loop turn.
    await new Promise((resolve) => setImmediate(resolve));
    await emitter.broadcast('tick', { n: 3 });
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0, bufferedBytes: 0 });
  });

  it('is forgotten when it leaves while its replay waits for the response to drain', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0, replay: { maxBytes: 8 << 20 } });
    fixture.sse = emitter;
    const from = (await emitter.broadcast('tick', { n: 0 })).id;
    for (let n = 1; n <= 200; n++) await emitter.broadcast('blob', { text: 'r'.repeat(2000) });
    const controller = new AbortController();
    // A body nobody reads: the replay fills its 64 KiB and waits.
    await emitter.fetchHandler(
      new Request('http://localhost/events', {
        headers: { 'Last-Event-ID': from },
        signal: controller.signal,
      }),
    );
    expect(emitter.stats()).toMatchObject({ clients: 1 });
    expect(emitter.stats().replayed).toBeLessThan(200);
    controller.abort();
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
    await emitter.broadcast('tick', { n: 201 });
  });

  it('is forgotten when its socket fails (bytes the HTTP parser refuses) while the stream is open', async () => {
    const { emitter, url } = await start();
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    fixture.onCleanup(() => socket.destroy());
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => expect(received, 'the stream to open').toContain('event: sse:hello'));
    socket.write('\u0000\u0001 not HTTP at all\r\n\r\n');
    await forgotten(emitter);
    await emitter.broadcast('tick', { n: 1 });
  });

  it('answers nothing, and crashes nothing, when the response closed before the handler ran', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    fixture.sse = emitter;
    const gate = createGate();
    gate.shut();
    const closed: ServerResponse[] = [];
    const gone: ServerResponse[] = [];
    const app = express();
    // An async middleware (a session lookup) during which the client leaves.
    app.get(
      '/events',
      async (_req, res, next) => {
        res.once('close', () => gone.push(res));
        await gate.wait();
        closed.push(res);
        next();
      },
      emitter.handler({ authorize: (req) => req.headers['x-user'] === 'ada' }),
    );
    fixture.server = await listen(app);
    const refusedLater = send(`${fixture.server.origin}/events`);
    const admittedLater = send(`${fixture.server.origin}/events`, { 'x-user': 'ada' });
    await waitFor(() => expect(gate.reached, 'both requests in the middleware').toBe(2));
    refusedLater.destroy();
    admittedLater.destroy();
    await waitFor(() => expect(gone, 'the server to see both clients leave').toHaveLength(2));
    gate.open();
    await waitFor(() => expect(closed, 'the handler to run').toHaveLength(2));
    await settle();
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
  });
});

describe('hostile Last-Event-ID bytes on a real socket', () => {
  /** Sends raw request bytes and returns the status line of the answer. */
  function statusFor(url: string, head: Buffer): Promise<string> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      fixture.onCleanup(() => socket.destroy());
      let received = '';
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        const end = received.indexOf('\r\n');
        if (end !== -1) resolve(received.slice(0, end));
      });
      socket.write(head);
    });
  }

  it('answers 400 to huge, binary and non-UTF-8 IDs, and Node 431 past its header limit', async () => {
    const { emitter, url } = await start();
    const request = (value: Buffer) =>
      Buffer.concat([
        Buffer.from('GET /events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: '),
        value,
        Buffer.from('\r\n\r\n'),
      ]);
    const cases = [
      Buffer.from('a'.repeat(8000)),
      Buffer.from([0xff, 0xfe, 0x80, 0x2d, 0x31]),
      Buffer.from('e-1\u00e9', 'utf8'),
      Buffer.from(`${'9'.repeat(400)}-1`),
    ];
    for (const value of cases) expect(await statusFor(url, request(value))).toBe('HTTP/1.1 400 Bad Request');
    expect(await statusFor(url, request(Buffer.from('z'.repeat(20_000))))).toMatch(/^HTTP\/1\.1 431 /);
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });
  });
});

describe('close()', () => {
  it('ends streams whose replay is in flight, and a store failing after close() reports nothing', async () => {
    const onError = vi.fn();
    const controlled = controlledStore();
    let storeClosed = false;
    // A remote store: once closed, the reads still in flight fail.
    const store: ReplayStore = {
      ...controlled.store,
      async readAfter(id) {
        const read = await controlled.store.readAfter(id);
        if (storeClosed) throw new Error('connection to the store closed');
        return read;
      },
      close: async () => {
        storeClosed = true;
      },
    };
    const { emitter, url } = await start({ store, onError });
    const from = (await emitter.broadcast('tick', { n: 1 })).id;
    controlled.read.shut();
    const raw = await fixture.open(url, { headers: { 'Last-Event-ID': from } });
    await waitFor(() => expect(controlled.read.reached, 'the replay read').toBe(1));
    await emitter.close({ retryMs: 50 });
    await raw.waitForEnd();
    expect(raw.retries).toEqual([3000, 50]);
    controlled.read.open();
    await settle();
    expect(onError).not.toHaveBeenCalled();
    expect(emitter.stats()).toMatchObject({ clients: 0, channels: 0 });

    const late = await fixture.open(url);
    await late.waitForEnd();
    expect(late.status).toBe(503);
  });
});
