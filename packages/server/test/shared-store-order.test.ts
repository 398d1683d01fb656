import { settle, waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type AppendRequest,
  createEmitter,
  type LiveFeedListener,
  type ReplayRead,
  type ReplayStore,
  type StoredEvent,
} from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();
const EPOCH = 'e1';

/**
 * A shared store the test drives: appends (this process's, and other instances' with `foreign`)
 * get the next seq at once, and the live feed brings them only when the test says so.
 */
function scriptedStore() {
  const log: StoredEvent[] = [];
  let listener: LiveFeedListener | undefined;
  let fed = 0;
  // Seqs the feed never brings (entries of another program, which a store skips).
  const skipped = new Set<number>();
  const add = (channels: StoredEvent['channels'], encode: (id: string) => Uint8Array): StoredEvent => {
    const seq = log.length + 1;
    const id = `${EPOCH}-${seq}`;
    const event = { id, seq, channels, frame: encode(id) };
    log.push(event);
    return event;
  };
  const store: ReplayStore = {
    append: async (request: AppendRequest) => add(request.channels, request.encode),
    async readAfter(lastEventId): Promise<ReplayRead> {
      const seq = Number(lastEventId.split('-')[1]);
      return { ok: true, events: log.slice(seq), head: `${EPOCH}-${log.length}` };
    },
    head: async () => `${EPOCH}-${log.length}`,
    subscribe(given) {
      listener = given;
      return () => {
        listener = undefined;
      };
    },
  };
  return {
    store,
    /** An event appended by another instance. */
    foreign(n: number) {
      add(null, (id) => new TextEncoder().encode(`id: ${id}\nevent: tick\ndata: {"n":${n}}\n\n`));
    },
    /** A seq taken by an entry the feed skips (another program wrote to the store's key). */
    skip() {
      skipped.add(add(null, () => new Uint8Array()).seq);
    },
    /** The feed brings every appended event it has not brought yet, in order. */
    feed() {
      while (fed < log.length) {
        const event = log[fed++] as StoredEvent;
        if (!skipped.has(event.seq)) listener?.onEvent(event);
      }
    },
    reset: () => listener?.onReset(),
    /** The feed cannot read (the store is unreachable). */
    outage: () => listener?.onOutage?.(),
  };
}

/** An emitter on a {@link scriptedStore}, served. */
async function serveShared() {
  const shared = scriptedStore();
  const sse = createEmitter({ events, store: shared.store, heartbeatMs: 0 });
  return { shared, sse, url: await fixture.serve(sse) };
}

/** A raw stream that has its `sse:hello` (registered for live events). */
async function openAfterHello(url: string, headers?: Record<string, string>) {
  const stream = await fixture.open(url, headers === undefined ? {} : { headers });
  await stream.waitForEvents(1);
  return stream;
}

const ticks = (stream: { catalogEvents(): { data: string }[] }) =>
  stream.catalogEvents().map((event) => JSON.parse(event.data).n as number);

describe('a shared store: local publishes and the live feed in one order', () => {
  it('fans out a local event when its append returns if it is next in order, and the feed does not repeat it', async () => {
    const { shared, sse, url } = await serveShared();
    const stream = await openAfterHello(url);
    // Position unknown until the feed brought one event: the first publish waits for it.
    const first = sse.broadcast('tick', { n: 1 });
    await settle();
    expect(ticks(stream)).toEqual([]);
    shared.feed();
    expect(await first).toEqual({ id: `${EPOCH}-1`, delivered: 1 });
    // Next in order: out as soon as the append returns, before the feed brings it.
    expect(await sse.broadcast('tick', { n: 2 })).toEqual({ id: `${EPOCH}-2`, delivered: 1 });
    await waitFor(() => expect(ticks(stream)).toEqual([1, 2]));
    shared.feed();
    await settle();
    expect(ticks(stream)).toEqual([1, 2]);
  });

  it("holds a local event appended after other instances' events until the feed brings them", async () => {
    const { shared, sse, url } = await serveShared();
    const stream = await openAfterHello(url);
    shared.foreign(1);
    shared.feed();
    await waitFor(() => expect(ticks(stream)).toEqual([1]));
    shared.foreign(2);
    const local = sse.broadcast('tick', { n: 3 });
    await settle();
    expect(ticks(stream)).toEqual([1]);
    shared.feed();
    expect(await local).toEqual({ id: `${EPOCH}-3`, delivered: 1 });
    await waitFor(() => expect(ticks(stream)).toEqual([1, 2, 3]));
    expect(stream.catalogEvents().map((event) => event.id)).toEqual([
      `${EPOCH}-1`,
      `${EPOCH}-2`,
      `${EPOCH}-3`,
    ]);
  });

  it('on a reset, ends the streams and resolves held publishes as reaching no connection', async () => {
    const { shared, sse, url } = await serveShared();
    const stream = await openAfterHello(url);
    shared.foreign(1);
    shared.feed();
    shared.foreign(2);
    const held = sse.broadcast('tick', { n: 3 });
    await settle(); // the append returned: the event waits for seq 2
    shared.reset();
    expect(await held).toEqual({ id: `${EPOCH}-3`, delivered: 0 });
    await stream.waitForEnd();
    expect(ticks(stream)).toEqual([1]);
  });

  it('after a reset, a publish whose append returns later is fanned out when the feed brings it', async () => {
    const { shared, sse, url } = await serveShared();
    const before = await openAfterHello(url);
    shared.foreign(1);
    shared.feed();
    const publish = sse.broadcast('tick', { n: 2 });
    shared.reset(); // before the append returned: the position is unknown again
    await before.waitForEnd();
    const after = await fixture.open(url, { headers: { 'Last-Event-ID': `${EPOCH}-1` } });
    await after.waitForEvents(1);
    shared.feed();
    expect(await publish).toEqual({ id: `${EPOCH}-2`, delivered: 1 });
    await waitFor(() => expect(ticks(after)).toEqual([2]));
  });

  it('settles a local publish held behind a seq the feed skips, when the feed brings its event', async () => {
    const { shared, sse, url } = await serveShared();
    const stream = await openAfterHello(url);
    shared.foreign(1);
    shared.feed();
    await waitFor(() => expect(ticks(stream)).toEqual([1]));
    shared.skip();
    const local = sse.broadcast('tick', { n: 3 });
    await settle(); // the append returned: the event waits for seq 2, which the feed will skip
    shared.feed();
    expect(await local).toEqual({ id: `${EPOCH}-3`, delivered: 1 });
    await waitFor(() => expect(ticks(stream)).toEqual([1, 3]));
  });

  it('on an outage of the feed, settles held publishes at once, and their events still go out in order', async () => {
    const { shared, sse, url } = await serveShared();
    const stream = await openAfterHello(url);
    shared.foreign(1);
    shared.feed();
    shared.foreign(2);
    const held = sse.broadcast('tick', { n: 3 });
    await settle(); // the append returned: the event waits for seq 2
    shared.outage();
    expect(await held).toEqual({ id: `${EPOCH}-3`, delivered: 0 });
    // The stream stays open; once the feed reads again, both events reach it in order.
    expect(stream.ended).toBe(false);
    shared.feed();
    await waitFor(() => expect(ticks(stream)).toEqual([1, 2, 3]));
    expect(await sse.broadcast('tick', { n: 4 })).toEqual({ id: `${EPOCH}-4`, delivered: 1 });
  });
});
