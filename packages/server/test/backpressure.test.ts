import { openRaw, waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { createEmitter, parseEventId } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

describe('a reader that never reads', () => {
  it('is disconnected once its unsent bytes pass maxBufferedBytes; memory stays bounded, others keep pace', async () => {
    const maxBufferedBytes = 256 * 1024;
    const emitter = createEmitter({
      events,
      heartbeatMs: 0,
      maxBufferedBytes,
      replay: { maxEvents: 50_000, maxBytes: 256 << 20 },
    });
    const url = await fixture.serve(emitter);
    const fast = await openRaw(url);
    const slow = await openRaw(url, { paused: true });
    fixture.raws.push(fast, slow);
    await fast.waitForEvents(1);
    await waitFor(() => expect(emitter.stats().clients, 'both streams').toBe(2));

    const text = 'p'.repeat(2000);
    let published = 0;
    let peakBuffered = 0;
    while (emitter.stats().slowDisconnects === 0 && published < 30_000) {
      published += 1;
      await emitter.broadcast('blob', { text: `${published}:${text}` });
      peakBuffered = Math.max(peakBuffered, emitter.stats().bufferedBytes);
      // Let the sockets move, as a real server between publishes would.
      if (published % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const stats = emitter.stats();
    expect(stats.slowDisconnects).toBe(1);
    expect(stats.clients).toBe(1);
    // Held bytes never passed the bound by more than one event (the one that crossed it) plus what
    // the reading client had in flight.
    expect(peakBuffered).toBeLessThanOrEqual(maxBufferedBytes + 96 * 1024);
    expect(peakBuffered).toBeGreaterThan(maxBufferedBytes / 2);

    // The reading client got everything, in order, and keeps receiving.
    await emitter.broadcast('blob', { text: `${published + 1}:after` });
    await fast.waitForEvents(published + 2, 10_000);
    const numbers = fast.catalogEvents().map((event) => Number(JSON.parse(event.data).text.split(':')[0]));
    expect(numbers).toEqual(Array.from({ length: published + 1 }, (_, index) => index + 1));

    // The dropped client reads what reached it, then resumes from the store and misses nothing.
    const drained: string[] = [];
    const { createParser } = await import('@app/sse-protocol');
    const parser = createParser({ onEvent: (event) => drained.push(event.id) });
    slow.res.on('data', (chunk: string) => parser.feed(chunk));
    slow.res.resume();
    await slow.waitForEnd(10_000);
    const resumeFrom = parser.lastEventId;
    const seen = parseEventId(resumeFrom)?.seq ?? 0;
    expect(seen).toBeLessThan(published);
    const resumed = await fixture.open(url, { headers: { 'Last-Event-ID': resumeFrom } });
    await resumed.waitForEvents(published + 2 - seen, 10_000);
    expect(resumed.catalogEvents().map((event) => parseEventId(event.id)?.seq)).toEqual(
      Array.from({ length: published + 1 - seen }, (_, index) => seen + index + 1),
    );
  }, 30_000);
});
