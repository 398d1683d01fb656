import { defineEvents } from '@app/sse-protocol';
import { createEmitter } from '@app/sse-server';
import { listen, startCuttingProxy, waitFor } from '@app/test-utils';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../src/client';

// The client and the server together over a network that drops connections at random bytes: a
// TCP proxy cuts every connection after a random number of bytes (inside a field, a line, a
// multi-byte character), and the clients reconnect through it. Real sockets on loopback, the
// emitter's in-memory store, the client's fetch transport.

const events = defineEvents({ tick: z.object({ n: z.number().int(), text: z.string() }) });
// Multi-byte text, so cuts also land inside UTF-8 sequences.
const TEXT = 'héllo wörld ✓ 日本語 🚀';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(maxEvents: number, seed: number) {
  const sse = createEmitter({ events, heartbeatMs: 0, retryMs: 5, replay: { maxEvents } });
  const server = await listen(sse.handler());
  const budgets = fc.sample(fc.integer({ min: 1, max: 1500 }), { seed, numRuns: 400 });
  const proxy = await startCuttingProxy(Number(new URL(server.origin).port), budgets);
  cleanups.push(
    () => sse.close(),
    () => server.close(),
    () => proxy.close(),
  );
  return { sse, url: `http://127.0.0.1:${proxy.port}/events`, proxy };
}

/** A client through the proxy that records the ticks and resets it sees, in order. */
function openClient(url: string) {
  const client = createClient({ url, events, backoff: { initialMs: 1, maxMs: 20 } });
  const seen: (number | 'reset')[] = [];
  client.on('tick', (data) => {
    expect(data.text).toBe(TEXT); // no cut ever reaches a handler as a damaged payload
    seen.push(data.n);
  });
  client.onReset(() => {
    seen.push('reset');
  });
  cleanups.push(() => client.close());
  return { client, seen };
}

describe('clients and the server over a network that cuts connections at random bytes', () => {
  it('deliver every event exactly once and in order when the replay buffer covers the cuts', async () => {
    const { sse, url, proxy } = await setUp(1000, 20261204);
    const clients = [0, 1, 2].map(() => openClient(url));
    await waitFor(() => expect(clients.every(({ client }) => client.lastEventId !== '')).toBe(true));
    const total = 200;
    for (let n = 1; n <= total; n++) await sse.broadcast('tick', { n, text: TEXT });
    const expected = Array.from({ length: total }, (_, index) => index + 1);
    for (const { seen } of clients)
      await waitFor(() => expect(seen).toEqual(expected), { timeoutMs: 15_000 });
    expect(proxy.connections).toBeGreaterThan(10); // the network did cut, many times
    for (const { client } of clients) expect(client.metrics()).toMatchObject({ resets: 0, invalidEvents: 0 });
  });

  it('never show a gap without a reset before it when the buffer is too small to cover a cut', async () => {
    const { sse, url } = await setUp(3, 7);
    const clients = [0, 1, 2].map(() => openClient(url));
    await waitFor(() => expect(clients.every(({ client }) => client.lastEventId !== '')).toBe(true));
    const total = 150;
    let head = '';
    for (let n = 1; n <= total; n++) {
      head = (await sse.broadcast('tick', { n, text: TEXT })).id;
      if (n % 10 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Each client ends at the head: by the last tick, or by a reset that carried it there.
    for (const { client } of clients)
      await waitFor(() => expect(client.lastEventId).toBe(head), { timeoutMs: 15_000 });
    // The buffer of 3 was too small for some cuts: the scenario did produce gaps.
    expect(clients.some(({ seen }) => seen.includes('reset'))).toBe(true);
    for (const { seen } of clients) {
      // Increasing, with no repeat; every jump over a missing event comes right after a reset.
      let last = 0;
      let told = false;
      for (const entry of seen) {
        if (entry === 'reset') {
          told = true;
          continue;
        }
        expect(entry).toBeGreaterThan(last);
        if (entry !== last + 1) expect(told, `${last} -> ${entry} without a reset`).toBe(true);
        last = entry;
        told = false;
      }
    }
  });
});
