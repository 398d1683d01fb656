import type { RequestListener } from 'node:http';
import { createParser, HELLO_EVENT, type ParsedEvent, RESET_EVENT, resetSchema } from '@app/sse-protocol';
import { type RawStream, waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { createEmitter, createMemoryStore, parseEventId, type ReplayStore } from '../src/index';
import { events, type TestEvents } from './support/catalog';
import { recordEventSource } from './support/event-source';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

async function start(options: Partial<Parameters<typeof createEmitter<TestEvents>>[0]> = {}) {
  const emitter = createEmitter({ events, heartbeatMs: 0, ...options });
  const url = await fixture.serve(
    emitter,
    emitter.handler({
      authorize: (req) =>
        typeof req.headers['x-user'] === 'string' ? { userId: req.headers['x-user'] } : true,
    }),
  );
  return { emitter, url };
}

async function connect(
  url: string,
  headers: Record<string, string> = {},
  onChunk?: (chunk: string, stream: RawStream) => void,
) {
  const raw = await fixture.open(url, { headers, onChunk });
  await raw.waitForEvents(1);
  return raw;
}

const seqOf = (id: string) => parseEventId(id)?.seq;
const ticks = (stream: RawStream) =>
  stream
    .catalogEvents()
    .filter((event) => event.event === 'tick')
    .map((event) => JSON.parse(event.data).n as number);

describe('resume', () => {
  it('replays what a client missed after its connection was cut in the middle of an event, then goes live', async () => {
    const { emitter, url } = await start();
    let cutAt = '';
    const first = await connect(url, {}, (chunk, stream) => {
      if (cutAt === '' && chunk.includes('event: blob')) {
        cutAt = stream.text;
        stream.destroy();
      }
    });
    for (let n = 1; n <= 3; n++) await emitter.broadcast('tick', { n });
    await first.waitForEvents(4);
    const big = await emitter.broadcast('blob', { text: 'x'.repeat(300_000) });
    await first.waitForEnd();
    // The cut left the big event half received: never dispatched, so the last event ID is tick 3's.
    expect(cutAt).toContain(`id: ${big.id}\nevent: blob`);
    expect(first.catalogEvents().map((event) => event.event)).toEqual(['tick', 'tick', 'tick']);
    const lastEventId = first.lastEventId;
    expect(seqOf(lastEventId)).toBe(3);
    await emitter.broadcast('tick', { n: 4 });

    const second = await connect(url, { 'Last-Event-ID': lastEventId });
    await second.waitForEvents(3);
    await emitter.broadcast('tick', { n: 5 });
    const received = await second.waitForEvents(4);
    expect(received.map((event) => event.event)).toEqual([HELLO_EVENT, 'blob', 'tick', 'tick']);
    expect(received[0]?.id).toBe(lastEventId);
    expect(JSON.parse(received[1]?.data ?? '').text).toHaveLength(300_000);
    expect(received.slice(1).map((event) => seqOf(event.id))).toEqual([4, 5, 6]);
    expect(ticks(second)).toEqual([4, 5]);
    expect(emitter.stats().replayed).toBe(2);
  });

  it('resumes from the lastEventId query parameter, the header winning when both are sent', async () => {
    const { emitter, url } = await start();
    const first = await connect(url);
    for (let n = 1; n <= 3; n++) await emitter.broadcast('tick', { n });
    const all = await first.waitForEvents(4);
    const fromQuery = await connect(`${url}?lastEventId=${encodeURIComponent(all[1]?.id ?? '')}`);
    await fromQuery.waitForEvents(3);
    expect(ticks(fromQuery)).toEqual([2, 3]);
    const both = await connect(`${url}?lastEventId=${encodeURIComponent(all[1]?.id ?? '')}`, {
      'Last-Event-ID': all[2]?.id ?? '',
    });
    await both.waitForEvents(2);
    expect(ticks(both)).toEqual([3]);
  });

  it('lets an EventSource reconnect by itself with Last-Event-ID and get exactly what it missed', async () => {
    const { emitter, url } = await start({ retryMs: 20 });
    const source = recordEventSource(url, ['tick', HELLO_EVENT]);
    fixture.sources.push(source);
    await source.waitFor(HELLO_EVENT, 1);
    await emitter.broadcast('tick', { n: 1 });
    await source.waitFor('tick', 1);
    fixture.server?.server.closeAllConnections();
    await emitter.broadcast('tick', { n: 2 });
    await emitter.broadcast('tick', { n: 3 });
    await source.waitFor(HELLO_EVENT, 2);
    await emitter.broadcast('tick', { n: 4 });
    await source.waitFor('tick', 4);
    expect(source.dataOf('tick')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(
      source.received.filter((event) => event.type === 'tick').map((event) => seqOf(event.lastEventId)),
    ).toEqual([1, 2, 3, 4]);
  });

  it('replays only the events of channels the connection is in', async () => {
    const { emitter, url } = await start();
    const ada = await connect(url, { 'x-user': 'ada' });
    const bob = await connect(url, { 'x-user': 'bob' });
    ada.destroy();
    bob.destroy();
    await waitFor(() => expect(emitter.stats().clients, 'both to leave').toBe(0));
    await emitter.to('user:ada').send('tick', { n: 1 });
    await emitter.to('user:bob').send('tick', { n: 2 });
    await emitter.broadcast('tick', { n: 3 });
    await emitter.to('user:ada').send('tick', { n: 4 });
    await emitter.to('room:9').send('tick', { n: 5 });
    const adaAgain = await connect(url, { 'x-user': 'ada', 'Last-Event-ID': ada.lastEventId });
    const bobAgain = await connect(url, { 'x-user': 'bob', 'Last-Event-ID': bob.lastEventId });
    await emitter.broadcast('tick', { n: 6 });
    await adaAgain.waitForEvents(5);
    await bobAgain.waitForEvents(4);
    expect(ticks(adaAgain)).toEqual([1, 3, 4, 6]);
    expect(ticks(bobAgain)).toEqual([2, 3, 6]);
  });
});

describe('reset', () => {
  it('tells a client that comes back after a restart (new epoch) with sse:reset, then goes live', async () => {
    let current = createEmitter({ events, heartbeatMs: 0, retryMs: 20 });
    const listener: RequestListener = (req, res) => current.handler()(req, res);
    const url = await fixture.serve(current, listener);
    const source = recordEventSource(url, ['tick', HELLO_EVENT, RESET_EVENT]);
    fixture.sources.push(source);
    await source.waitFor(HELLO_EVENT, 1);
    const before = await current.broadcast('tick', { n: 1 });
    await source.waitFor('tick', 1);

    const restarted = createEmitter({ events, heartbeatMs: 0 });
    fixture.onCleanup(() => restarted.close());
    await restarted.broadcast('tick', { n: 100 });
    const old = current;
    current = restarted;
    // Long enough for the client to see each connection the closing emitter ends (it closes them
    // after their last bytes): a reconnection sent over one before its FIN arrives would reach the
    // restarted emitter, be cut with it, and come back with the old ID for a second reset.
    await old.close({ retryMs: 200 });
    const [reset] = await source.waitFor(RESET_EVENT, 1);
    expect(resetSchema.parse(JSON.parse(reset?.data ?? ''))).toEqual({
      reason: 'epoch-changed',
      lastEventId: before.id,
    });
    await source.waitFor(HELLO_EVENT, 2);
    // The reset carries the new store's head (the hello before it carries no ID): its epoch, and
    // the one event it holds.
    const head = parseEventId(reset?.lastEventId ?? '');
    expect(head?.seq).toBe(1);
    expect(head?.epoch).not.toBe(parseEventId(before.id)?.epoch);
    await restarted.broadcast('tick', { n: 2 });
    await source.waitFor('tick', 2);
    expect(source.dataOf('tick')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(restarted.stats().resets).toBe(1);
  });

  it('sends sse:reset (evicted) when the store no longer holds the point, and replays when it just does', async () => {
    const { emitter, url } = await start({ replay: { maxEvents: 3 } });
    const first = await connect(url);
    const start0 = first.lastEventId;
    first.destroy();
    for (let n = 1; n <= 3; n++) await emitter.broadcast('tick', { n });
    const exact = await connect(url, { 'Last-Event-ID': start0 });
    await exact.waitForEvents(4);
    expect(ticks(exact)).toEqual([1, 2, 3]);

    for (let n = 4; n <= 5; n++) await emitter.broadcast('tick', { n });
    const late = await connect(url, { 'Last-Event-ID': start0 });
    await late.waitForEvents(2);
    // The hello has no id field before a reset; the reset carries the head, and only it moves the
    // client's last event ID there.
    expect(late.events[0]?.id).toBe('');
    expect(late.events[1]?.event).toBe(RESET_EVENT);
    expect(JSON.parse(late.events[1]?.data ?? '')).toEqual({ reason: 'evicted', lastEventId: start0 });
    expect(seqOf(late.events[1]?.id ?? '')).toBe(5);
    expect(late.lastEventId).toBe(late.events[1]?.id);
    await emitter.broadcast('tick', { n: 6 });
    await late.waitForEvents(3);
    expect(ticks(late)).toEqual([6]);
    expect(late.lastEventId).toMatch(/-6$/);
  });

  it('moves the client only with a whole reset: a cut at any byte of hello + reset leaves it where a resume is reset again', async () => {
    const { emitter, url } = await start({ replay: { maxEvents: 2 } });
    const first = await connect(url);
    const old = first.lastEventId;
    first.destroy();
    for (let n = 1; n <= 4; n++) await emitter.broadcast('tick', { n });
    const whole = await connect(url, { 'Last-Event-ID': old });
    await whole.waitForEvents(2);
    expect(whole.events.map((event) => event.event)).toEqual([HELLO_EVENT, RESET_EVENT]);
    const bytes = whole.text;

    // What a client that resumed from `old` holds when the connection is cut after `offset`
    // characters: the spec's parser drops the unterminated event at the cut, and the last event ID
    // it reports is where the client resumes next (its old one if no `id:` field was dispatched).
    const positions = new Set<string>();
    for (let offset = 0; offset <= bytes.length; offset++) {
      const seen: ParsedEvent[] = [];
      const parser = createParser({ onEvent: (event) => seen.push(event) });
      parser.feed(bytes.slice(0, offset));
      const resetSeen = seen.some((event) => event.event === RESET_EVENT);
      const position = seen.at(-1)?.id || old;
      // Either the client was told (the whole reset arrived), or it is still at its old position.
      expect({ offset, resetSeen, moved: position !== old }).toEqual({ offset, resetSeen, moved: resetSeen });
      positions.add(position);
    }
    expect(positions.size).toBe(2);
    // Resuming from every position a cut can leave: the old one is reset again, the head goes on.
    const resumes = await Promise.all(
      [...positions].map((position) => connect(url, { 'Last-Event-ID': position })),
    );
    await emitter.broadcast('tick', { n: 5 });
    const seen = await Promise.all(
      resumes.map(async (resume, index) => {
        const expected = [...positions][index] === old ? 3 : 2;
        return (await resume.waitForEvents(expected)).map((event) => event.event);
      }),
    );
    expect(seen).toEqual(
      [...positions].map((position) =>
        position === old ? [HELLO_EVENT, RESET_EVENT, 'tick'] : [HELLO_EVENT, 'tick'],
      ),
    );
  });

  it('sends sse:reset (unknown-id) for an ID of this epoch that was never issued', async () => {
    const { emitter, url } = await start();
    const first = await connect(url);
    const future = first.lastEventId.replace(/-0$/, '-99');
    const raw = await connect(url, { 'Last-Event-ID': future });
    await raw.waitForEvents(2);
    expect(JSON.parse(raw.events[1]?.data ?? '')).toEqual({ reason: 'unknown-id', lastEventId: future });
    expect(emitter.stats().resets).toBe(1);
  });
});

/** A memory store whose reads wait for `open()`: a store with latency, such as a remote one. */
function gatedStore(inner: ReplayStore) {
  let release: () => void = () => {};
  let gate = Promise.resolve();
  let reads = 0;
  return {
    reads: () => reads,
    close() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    open: () => release(),
    store: {
      append: (request) => inner.append(request),
      head: () => inner.head(),
      async readAfter(id) {
        reads += 1;
        const result = await inner.readAfter(id);
        await gate;
        return result;
      },
    } satisfies ReplayStore,
  };
}

describe('publish during replay', () => {
  it('continues a large replay with the events published while it was read and written: no gap, no duplicate', async () => {
    const gated = gatedStore(createMemoryStore({ maxEvents: 5000, maxBytes: 64 << 20 }));
    const { emitter, url } = await start({ store: gated.store });
    const first = await connect(url);
    const from = first.lastEventId;
    first.destroy();
    const text = 'y'.repeat(2000);
    for (let n = 1; n <= 1000; n++) await emitter.broadcast('blob', { text: `${n}:${text}` });

    gated.close();
    const readsBefore = gated.reads();
    const resumed = await fixture.open(url, { headers: { 'Last-Event-ID': from } });
    await waitFor(() => expect(gated.reads(), 'the replay read').toBeGreaterThan(readsBefore));
    // Published after the connection registered, before its replay read returns.
    for (let n = 1001; n <= 1100; n++) await emitter.broadcast('blob', { text: `${n}:${text}` });
    gated.open();
    // Published while the 2 MB replay is being written (it waits for drain several times).
    for (let n = 1101; n <= 1300; n++) {
      await emitter.broadcast('blob', { text: `${n}:${text}` });
      if (n % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await resumed.waitForEvents(1301, 15_000);
    const received = resumed.catalogEvents();
    expect(received.map((event) => Number(JSON.parse(event.data).text.split(':')[0]))).toEqual(
      Array.from({ length: 1300 }, (_, index) => index + 1),
    );
    expect(received.map((event) => seqOf(event.id))).toEqual(
      Array.from({ length: 1300 }, (_, index) => index + 1),
    );
    expect(resumed.events[0]).toMatchObject({ event: HELLO_EVENT, id: from });
  });

  it('gives a fresh connection the events published between its registration and its first read', async () => {
    const gated = gatedStore(createMemoryStore());
    const { emitter, url } = await start({ store: gated.store });
    await emitter.broadcast('tick', { n: 0 });
    gated.close();
    const raw = await fixture.open(url);
    await waitFor(() => expect(gated.reads(), 'the first read').toBe(1));
    for (let n = 1; n <= 5; n++) await emitter.broadcast('tick', { n });
    gated.open();
    await emitter.broadcast('tick', { n: 6 });
    await raw.waitForEvents(7);
    expect(raw.events[0]).toMatchObject({ event: HELLO_EVENT });
    expect(seqOf(raw.events[0]?.id ?? '')).toBe(1);
    expect(ticks(raw)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
