import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { waitFor } from '@app/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmitter, createMemoryStore, type Emitter } from '../src/index';
import { events, type TestEvents } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** What the responses of a {@link handing} listener were really given through `res.write`. */
interface Handed {
  /** Bytes written, every response together. */
  bytes: number;
  /** Text written, by response. */
  readonly bodies: string[];
}

/**
 * Serves `sse` through a listener that wraps each response's `write`: the bytes and events a test
 * compares the counters with are those really handed to a response, nothing queued in the emitter.
 */
async function serveHanding(
  sse: Emitter<TestEvents>,
): Promise<{ url: string; handed: Handed; responses: ServerResponse[] }> {
  const handed: Handed = { bytes: 0, bodies: [] };
  const responses: ServerResponse[] = [];
  const handler = sse.handler();
  const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    responses.push(res);
    const index = handed.bodies.push('') - 1;
    const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
    (res as unknown as { write: (chunk: Uint8Array) => boolean }).write = (chunk) => {
      handed.bytes += chunk.byteLength;
      handed.bodies[index] += Buffer.from(chunk).toString('utf8');
      return write(chunk);
    };
    handler(req, res);
  };
  return { url: await fixture.serve(sse, listener), handed, responses };
}

/** `blob` events written to the responses. */
function handedBlobs(handed: Handed): number {
  let count = 0;
  for (const body of handed.bodies) count += (body.match(/^event: blob$/gm) ?? []).length;
  return count;
}

/** Checks `stats()` and `metrics()` against what the responses were really handed. */
function expectCountersMatch(sse: Emitter<TestEvents>, handed: Handed): void {
  const blobs = handedBlobs(handed);
  const stats = sse.stats();
  const metrics = sse.metrics();
  expect(stats.bytes, 'stats().bytes: bytes handed to responses').toBe(handed.bytes);
  expect(metrics.written, 'metrics().written: bytes handed to responses').toBe(handed.bytes);
  expect(stats.sent, 'stats().sent: events handed live').toBe(blobs);
  expect(metrics.delivered.live, 'metrics().delivered.live: events handed live').toBe(blobs);
}

/** Lets the sockets move between publishes, as a real server's event loop would. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Publishes `count` events of ~4 KB while a client reads them all, so a resume from `from` replays
 * more than a reader that never reads can take: the replay writer waits for `drain`.
 *
 * @returns the ID to resume from (the first stream's hello: the head before the backlog)
 */
async function publishBacklog(sse: Emitter<TestEvents>, url: string, count: number): Promise<string> {
  const first = await fixture.open(url);
  await first.waitForEvents(1);
  const from = first.events[0]?.id as string;
  const text = 'r'.repeat(4000);
  for (let i = 0; i < count; i++) {
    await sse.broadcast('blob', { text: `${i}:${text}` });
    await yieldToIo();
  }
  await first.waitForEvents(count + 1, 10_000);
  first.destroy();
  await waitFor(() => expect(sse.stats().clients, 'the backlog reader gone').toBe(0));
  return from;
}

describe('written and delivered count only what responses were handed', () => {
  it('a reader that never reads, dropped with frames queued for drain: its queue is not counted, and the broadcast that dropped it did not deliver', async () => {
    const sse = createEmitter({
      events,
      heartbeatMs: 0,
      maxBufferedBytes: 64 * 1024,
      replay: { maxEvents: 50_000, maxBytes: 256 << 20 },
    });
    const { url, handed } = await serveHanding(sse);
    const slow = await fixture.open(url, { paused: true });
    await waitFor(() => expect(handed.bodies[0], 'the hello written').toContain('event: sse:hello'));

    const text = 'q'.repeat(1000);
    let published = 0;
    let lastDelivered = -1;
    while (sse.stats().slowDisconnects === 0 && published < 20_000) {
      published += 1;
      lastDelivered = (await sse.broadcast('blob', { text: `${published}:${text}` })).delivered;
      if (published % 5 === 0) await yieldToIo();
    }
    expect(sse.stats().slowDisconnects).toBe(1);
    await waitFor(() => expect(sse.stats().clients).toBe(0));

    // The drop happened while the stream waited for drain: the last event never reached it.
    expect(handedBlobs(handed)).toBeGreaterThan(0);
    expectCountersMatch(sse, handed);
    expect(handed.bodies[0]).not.toContain(`"${published}:`);
    expect(lastDelivered, 'the broadcast that dropped the stream').toBe(0);
    slow.destroy();
  }, 30_000);

  it('a burst past maxBufferedBytes in one turn: frames of the unwritten batch are not counted', async () => {
    const sse = createEmitter({ events, heartbeatMs: 0, maxBufferedBytes: 16 * 1024 });
    const { url, handed } = await serveHanding(sse);
    const raw = await fixture.open(url);
    await raw.waitForEvents(1);

    // Fanned out in one turn, written at its end: the stream's run passes the bound first.
    const text = 'b'.repeat(1000);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => sse.broadcast('blob', { text: `${index}:${text}` })),
    );
    await raw.waitForEnd(5000);
    await waitFor(() => expect(sse.stats().clients).toBe(0));
    expect(sse.stats().slowDisconnects).toBe(1);
    expect(results.at(-1)?.delivered).toBe(0);

    expect(handedBlobs(handed), 'no event of the burst reached the response').toBe(0);
    expectCountersMatch(sse, handed);
  }, 30_000);

  it('a client that leaves with frames queued for drain: its queue is not counted', async () => {
    const sse = createEmitter({
      events,
      heartbeatMs: 0,
      maxBufferedBytes: 64 << 20,
      replay: { maxEvents: 50_000, maxBytes: 256 << 20 },
    });
    const { url, handed } = await serveHanding(sse);
    const slow = await fixture.open(url, { paused: true });
    await waitFor(() => expect(handed.bodies[0], 'the hello written').toContain('event: sse:hello'));

    // Well past what the socket and the response take: the rest waits in the emitter's queue.
    const text = 'g'.repeat(4000);
    let published = 0;
    while (sse.stats().bufferedBytes < 1 << 20 && published < 20_000) {
      published += 1;
      await sse.broadcast('blob', { text: `${published}:${text}` });
      if (published % 5 === 0) await yieldToIo();
    }
    expect(sse.stats().bufferedBytes).toBeGreaterThanOrEqual(1 << 20);

    slow.destroy();
    await waitFor(() => expect(sse.metrics().closed['client-gone']).toBe(1));
    expect(sse.stats().slowDisconnects).toBe(0);
    expect(handed.bodies[0]).not.toContain(`"${published}:`);
    expectCountersMatch(sse, handed);
  }, 30_000);

  it('a resuming stream dropped for the live events held during its replay: that broadcast did not deliver', async () => {
    const sse = createEmitter({
      events,
      heartbeatMs: 0,
      maxBufferedBytes: 256 * 1024,
      store: createMemoryStore({ maxEvents: 50_000, maxBytes: 256 << 20 }),
    });
    const url = await fixture.serve(sse);
    const from = await publishBacklog(sse, url, 3000);

    // A resume that never reads: its replay waits for drain, live events wait in `pending`.
    expect(sse.stats().slowDisconnects).toBe(0);
    const resumer = await fixture.open(url, { paused: true, headers: { 'Last-Event-ID': from } });
    await waitFor(() => expect(sse.stats().replayed).toBeGreaterThan(0));
    const text = 'h'.repeat(4000);
    let published = 0;
    let lastDelivered = -1;
    while (sse.stats().slowDisconnects === 0 && published < 1000) {
      published += 1;
      lastDelivered = (await sse.broadcast('blob', { text: `held ${published}:${text}` })).delivered;
    }
    expect(sse.stats().slowDisconnects).toBe(1);
    expect(published).toBeGreaterThan(1);
    expect(lastDelivered, 'the broadcast that dropped the stream').toBe(0);
    resumer.destroy();
  }, 30_000);
});

describe('replays and replay sizes', () => {
  it('count a replay the client left in the middle of, with the events it wrote', async () => {
    const sse = createEmitter({
      events,
      heartbeatMs: 0,
      store: createMemoryStore({ maxEvents: 50_000, maxBytes: 256 << 20 }),
    });
    const url = await fixture.serve(sse);
    const from = await publishBacklog(sse, url, 3000);
    const before = sse.metrics();
    expect(before.replays).toBe(0);

    const resumer = await fixture.open(url, { paused: true, headers: { 'Last-Event-ID': from } });
    await waitFor(() => expect(sse.stats().replayed).toBeGreaterThan(0));
    resumer.destroy();
    await waitFor(() => expect(sse.stats().clients).toBe(0));
    expect(sse.metrics().closed).toMatchObject({ 'client-gone': 2, 'slow-consumer': 0 });
    // The replay writer was waiting for drain: it goes on once the stream is detached.
    await waitFor(() => expect(sse.metrics().replays).toBe(1));

    const after = sse.metrics();
    const replayed = after.delivered.replay - before.delivered.replay;
    expect(replayed).toBeGreaterThan(0);
    expect(replayed, 'the client left before the end of the replay').toBeLessThan(3000);
    expect(after.replaySize.count).toBe(1);
    expect(after.replaySize.sum).toBe(replayed);
    expect(after.replaySize.sum).toBe(after.delivered.replay);
  }, 30_000);
});

describe('heartbeats', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('count the heartbeats handed to a response, not those queued to streams dropped in the same turn', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const sse = createEmitter({ events, heartbeatMs: 1000, maxBufferedBytes: 16 * 1024 });
    const { url, handed } = await serveHanding(sse);
    await fixture.open(url);
    await fixture.open(url);
    await waitFor(() => expect(sse.stats().clients).toBe(2));
    // One tick: a heartbeat queued to both streams, to be written at the end of the turn.
    vi.advanceTimersByTime(1000);
    // In the same turn, an event past maxBufferedBytes drops both: their heartbeats never go out.
    const { delivered } = await sse.broadcast('blob', { text: 'x'.repeat(20_000) });
    expect(delivered).toBe(0);
    await waitFor(() => expect(sse.stats().clients).toBe(0));
    expect(handed.bodies.join('')).not.toMatch(/^: ?ping$/m);
    expect(sse.metrics().heartbeats).toBe(0);

    await fixture.open(url);
    await waitFor(() => expect(sse.stats().clients).toBe(1));
    vi.advanceTimersByTime(1000);
    await waitFor(() => expect(handed.bodies[2]).toMatch(/^: ?ping$/m));
    expect(sse.metrics().heartbeats).toBe(1);
  });
});
