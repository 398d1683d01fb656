import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSseServerError } from './errors';
import { createMemoryStore } from './memory-store';
import type { ReplayStore } from './replay-store';

const encoder = new TextEncoder();

function append(store: ReplayStore, body = 'x', channels: readonly string[] | null = null) {
  return store.append({
    channels,
    body: `data: ${body}\n\n`,
    encode: (id) => encoder.encode(`id: ${id}\ndata: ${body}\n\n`),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createMemoryStore', () => {
  it('numbers events <epoch>-1, -2, ... and keeps the bytes encoded with that ID', async () => {
    const store = createMemoryStore({ epoch: 'e1' });
    expect(await store.head()).toBe('e1-0');
    const first = await append(store, 'a', ['room:1']);
    const second = await append(store, 'b');
    expect(first).toMatchObject({ id: 'e1-1', seq: 1, channels: ['room:1'] });
    expect(new TextDecoder().decode(first.frame)).toBe('id: e1-1\ndata: a\n\n');
    expect(second.id).toBe('e1-2');
    expect(await store.head()).toBe('e1-2');
    expect(await store.readAfter('e1-0')).toEqual({ ok: true, events: [first, second], head: 'e1-2' });
    expect(await store.readAfter('e1-1')).toEqual({ ok: true, events: [second], head: 'e1-2' });
    expect(await store.readAfter('e1-2')).toEqual({ ok: true, events: [], head: 'e1-2' });
  });

  it('tells why it cannot replay: another epoch, an ID never issued, an evicted point', async () => {
    const store = createMemoryStore({ epoch: 'now', maxEvents: 2 });
    for (let i = 0; i < 4; i++) await append(store);
    expect(await store.readAfter('before-3')).toEqual({ ok: false, reason: 'epoch-changed', head: 'now-4' });
    expect(await store.readAfter('now-5')).toEqual({ ok: false, reason: 'unknown-id', head: 'now-4' });
    expect(await store.readAfter('now-1')).toEqual({ ok: false, reason: 'evicted', head: 'now-4' });
    expect(await store.readAfter('garbage')).toEqual({ ok: false, reason: 'unknown-id', head: 'now-4' });
    // now-2 is gone but everything after it (3, 4) is held: a complete replay.
    const read = await store.readAfter('now-2');
    expect(read.ok && read.events.map((event) => event.seq)).toEqual([3, 4]);
  });

  it('wraps around its ring for many more events than it holds', async () => {
    const store = createMemoryStore({ epoch: 'r', maxEvents: 5 });
    for (let i = 0; i < 23; i++) await append(store, String(i));
    const read = await store.readAfter('r-18');
    expect(read.ok && read.events.map((event) => event.seq)).toEqual([19, 20, 21, 22, 23]);
    expect((await store.readAfter('r-17')).ok).toBe(false);
  });

  it('evicts by bytes, the oldest first, and an event larger than maxBytes at once', async () => {
    const frame = (await append(createMemoryStore(), '0123456789')).frame.byteLength;
    const store = createMemoryStore({ epoch: 'b', maxBytes: frame * 3 });
    for (let i = 0; i < 5; i++) await append(store, '0123456789');
    let read = await store.readAfter('b-2');
    expect(read.ok && read.events.map((event) => event.seq)).toEqual([3, 4, 5]);
    await append(store, 'x'.repeat(frame * 4));
    read = await store.readAfter('b-5');
    expect(read).toMatchObject({ ok: false, reason: 'evicted', head: 'b-6' });
    expect(await store.readAfter('b-6')).toEqual({ ok: true, events: [], head: 'b-6' });
  });

  it('evicts by age when used, without a timer', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = createMemoryStore({ epoch: 'a', maxAgeMs: 1000 });
    await append(store);
    vi.advanceTimersByTime(600);
    await append(store);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(500);
    expect(await store.readAfter('a-0')).toMatchObject({ ok: false, reason: 'evicted' });
    const read = await store.readAfter('a-1');
    expect(read.ok && read.events.map((event) => event.seq)).toEqual([2]);
    vi.advanceTimersByTime(1000);
    expect(await store.readAfter('a-1')).toMatchObject({ ok: false, reason: 'evicted' });
    expect(await store.readAfter('a-2')).toEqual({ ok: true, events: [], head: 'a-2' });
  });

  it('keeps nothing with maxEvents 0, so every resume but one from the head is a reset', async () => {
    const store = createMemoryStore({ epoch: 'z', maxEvents: 0 });
    await append(store);
    await append(store);
    expect(await store.readAfter('z-1')).toMatchObject({ ok: false, reason: 'evicted' });
    expect(await store.readAfter('z-2')).toEqual({ ok: true, events: [], head: 'z-2' });
  });

  it('gets a new random epoch per store, and refuses bad bounds', async () => {
    const [one, two] = await Promise.all([createMemoryStore().head(), createMemoryStore().head()]);
    expect(one).toMatch(/^[0-9a-z]+-0$/);
    expect(one).not.toBe(two);
    for (const options of [
      { maxEvents: -1 },
      { maxEvents: 1.5 },
      // More slots than a JavaScript array can have.
      { maxEvents: 2 ** 32 },
      { maxBytes: Number.NaN },
      { maxAgeMs: -5 },
      { epoch: 'a-b' },
    ]) {
      expect(() => createMemoryStore(options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'invalid-option' }),
      );
    }
    expect(isSseServerError(catchError(() => createMemoryStore({ epoch: '' })))).toBe(true);
  });

  it('does not assign an ID when the encoder throws', async () => {
    const store = createMemoryStore({ epoch: 'k' });
    await expect(
      store.append({
        channels: null,
        body: 'data: x\n\n',
        encode: () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(await store.head()).toBe('k-0');
    expect((await append(store)).id).toBe('k-1');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
