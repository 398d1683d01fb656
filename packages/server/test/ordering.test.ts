import { HELLO_EVENT, RESET_EVENT } from '@app/sse-protocol';
import { openRaw, type RawStream, waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { createEmitter, type PublishResult, parseEventId } from '../src/index';
import { events } from './support/catalog';
import { controlledStore } from './support/controlled-store';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** An emitter over a store whose latency the test controls, served with the channels `a` and `b`. */
async function start() {
  const controlled = controlledStore();
  const emitter = createEmitter({ events, heartbeatMs: 0, store: controlled.store });
  const url = await fixture.serve(emitter, emitter.handler({ channels: () => ['a', 'b'] }));
  return { controlled, emitter, url };
}

async function connect(url: string, headers: Record<string, string> = {}) {
  const raw = await fixture.open(url, { headers });
  await raw.waitForEvents(1);
  return raw;
}

/** Where a stream that opened and left at once stopped: the ID its client resumes from. */
async function leftAt(url: string): Promise<string> {
  const first = await connect(url);
  first.destroy();
  return first.lastEventId;
}

const seqs = (stream: RawStream) => stream.catalogEvents().map((event) => parseEventId(event.id)?.seq);
const ticks = (stream: RawStream) =>
  stream.catalogEvents().map((event) => JSON.parse(event.data).n as number);

describe('order of live events', () => {
  it('delivers events in ID order when the store settles appends out of order', async () => {
    const { controlled, emitter, url } = await start();
    const raw = await connect(url);

    controlled.holdAppends(true);
    const order: number[] = [];
    const publish = (n: number) =>
      emitter.broadcast('tick', { n }).then((result) => {
        order.push(n);
        return result;
      });
    const first = publish(1);
    const second = publish(2);
    const third = publish(3);
    await waitFor(() => expect(controlled.held, 'three held appends').toBe(3));
    controlled.holdAppends(false);
    // The store answers the third append first, then the second: neither may overtake the first.
    controlled.release(2);
    controlled.release(1);
    // Every reaction to those two answers runs before the next turn of the event loop: by then
    // nothing may have been fanned out or resolved.
    await new Promise((resolve) => setImmediate(resolve));
    expect({ sent: emitter.stats().sent, order }).toEqual({ sent: 0, order: [] });
    controlled.release(0);
    const results = await Promise.all([first, second, third]);
    expect(results.map((result) => result.delivered)).toEqual([1, 1, 1]);
    expect(order).toEqual([1, 2, 3]);
    await raw.waitForEvents(4);
    expect(ticks(raw)).toEqual([1, 2, 3]);
    expect(seqs(raw)).toEqual([1, 2, 3]);
  });

  it('lets later events go once an earlier append fails, and keeps them in order', async () => {
    const { controlled, emitter, url } = await start();
    const raw = await connect(url);
    controlled.holdAppends(true);
    const failing = emitter.broadcast('tick', { n: 1 });
    const next = emitter.broadcast('tick', { n: 2 });
    await waitFor(() => expect(controlled.held, 'two held appends').toBe(2));
    controlled.holdAppends(false);
    controlled.release(1);
    controlled.release(0, new Error('store lost the write'));
    await expect(failing).rejects.toMatchObject({ code: 'store-failed' });
    expect((await next).delivered).toBe(1);
    await emitter.broadcast('tick', { n: 3 });
    await raw.waitForEvents(3);
    expect(ticks(raw)).toEqual([2, 3]);
  });
});

describe('resume against a store with latency', () => {
  it('does not send an event twice when its append settles after a replay already wrote it', async () => {
    const { controlled, emitter, url } = await start();
    const from = await leftAt(url);
    await waitFor(() => expect(emitter.stats().clients, 'the first stream to close').toBe(0));

    controlled.holdAppends(true);
    const slow = emitter.broadcast('tick', { n: 1 });
    await waitFor(() => expect(controlled.held, 'the held append').toBe(1));
    controlled.holdAppends(false);
    // The store holds tick 1 already: the replay writes it, and the stream goes live.
    const resumed = await connect(url, { 'Last-Event-ID': from });
    await resumed.waitForEvents(2);
    expect(ticks(resumed)).toEqual([1]);

    controlled.release(0);
    const { delivered } = await slow;
    expect(delivered).toBe(1);
    await emitter.broadcast('tick', { n: 2 });
    // A marker after it: a duplicate of tick 1 or 2 would arrive before the marker.
    await emitter.broadcast('tick', { n: 3 });
    await resumed.waitForEvents(4);
    expect(ticks(resumed)).toEqual([1, 2, 3]);
    expect(seqs(resumed)).toEqual([1, 2, 3]);
  });

  it('gives a fresh stream the events published between its head read and its registration', async () => {
    const { controlled, emitter, url } = await start();
    await emitter.broadcast('tick', { n: 0 });
    controlled.head.shut();
    // No response before the head is known: the stream is opened, not awaited.
    const opening = openRaw(url);
    await waitFor(() => expect(controlled.head.reached, 'the head read').toBe(1));
    for (let n = 1; n <= 3; n++) await emitter.broadcast('tick', { n });
    controlled.head.open();
    const raw = await opening;
    fixture.raws.push(raw);
    await raw.waitForEvents(4);
    expect(raw.events[0]).toMatchObject({ event: HELLO_EVENT });
    expect(parseEventId(raw.events[0]?.id ?? '')?.seq).toBe(1);
    expect(ticks(raw)).toEqual([1, 2, 3]);
  });
});

describe('a store that loses its history while the emitter runs', () => {
  it('still sends a multi-channel event whose sequence number repeats under the new epoch', async () => {
    const { controlled, emitter, url } = await start();
    const raw = await connect(url);
    const before: PublishResult = await emitter.to('a', 'b').send('tick', { n: 1 });
    controlled.loseHistory();
    const after = await emitter.to('a', 'b').send('tick', { n: 2 });
    expect(parseEventId(after.id)?.seq).toBe(parseEventId(before.id)?.seq);
    expect(after.delivered).toBe(1);
    await raw.waitForEvents(3);
    expect(ticks(raw)).toEqual([1, 2]);
  });

  it('sends the live events of the new epoch that arrive while a replay of the old one is written', async () => {
    const { controlled, emitter, url } = await start();
    const from = await leftAt(url);
    for (let n = 1; n <= 3; n++) await emitter.broadcast('tick', { n });
    controlled.read.shut();
    const resumed = await fixture.open(url, { headers: { 'Last-Event-ID': from } });
    await waitFor(() => expect(controlled.read.reached, 'the replay read').toBe(2));
    // The read answered under the old epoch (head seq 3); the new epoch starts again at 1.
    controlled.loseHistory();
    await emitter.broadcast('tick', { n: 4 });
    controlled.read.open();
    await resumed.waitForEvents(5);
    expect(resumed.events.map((event) => event.event)).not.toContain(RESET_EVENT);
    expect(ticks(resumed)).toEqual([1, 2, 3, 4]);
  });
});
