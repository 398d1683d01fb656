// The soak's server process (see run-soak.ts): an emitter on node:http with the in-memory store,
// publishing at a steady rate, that answers `sample` with its memory after two full collections
// and its event loop delay since the previous sample. Started with --expose-gc.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defineEvents } from '@app/sse-protocol';
import { createEmitter } from '@app/sse-server';
import { z } from 'zod';
import type { SoakCommand, SoakReply } from './soak-messages';

const [rate = 200, maxBufferedBytes = 256 * 1024] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('soak-server needs --expose-gc');

const events = defineEvents({ tick: z.object({ n: z.number().int(), pad: z.string() }) });
const reply = (message: SoakReply) => process.send?.(message);
let errors = 0;
const sse = createEmitter({
  events,
  heartbeatMs: 5000,
  retryMs: 100,
  // 10 s of history: every resume of the soak (cuts resume at once, slow readers pause at most 6 s)
  // is covered, so none may be a reset; and the buffer is full well before the warm-up ends.
  replay: { maxEvents: rate * 10, maxBytes: 64 * 1024 * 1024 },
  maxBufferedBytes,
  meter: null,
  onError: () => {
    errors += 1;
  },
});
const server = createServer(sse.handler());
server.listen(0, '127.0.0.1', () =>
  reply({ type: 'ready', port: (server.address() as { port: number }).port }),
);

// Steady publishing: every 20 ms, the events of that slice of a second, awaited in order.
const pad = 'x'.repeat(200);
let n = 0;
let publishing = false;
const perSlice = Math.max(1, Math.round(rate / 50));
const publisher = setInterval(async () => {
  if (publishing) return; // a slow slice does not pile up publishes
  publishing = true;
  try {
    for (let k = 0; k < perSlice; k++) await sse.broadcast('tick', { n: ++n, pad });
  } finally {
    publishing = false;
  }
}, 20);

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', async (command: SoakCommand) => {
  if (command.type === 'sample') {
    gc();
    gc();
    const { rss, heapUsed } = process.memoryUsage();
    const metrics = sse.metrics();
    reply({
      type: 'sample',
      rss,
      heapUsed,
      loopP99Ms: delay.percentile(99) / 1e6,
      clients: sse.stats().clients,
      published: n,
      slowDrops: metrics.closed['slow-consumer'],
      resets: Object.values(metrics.resets).reduce((sum, count) => sum + count, 0),
      errors,
    });
    delay.reset();
  } else {
    clearInterval(publisher);
    await sse.close();
    server.close();
    process.send?.({ type: 'stopped' } satisfies SoakReply, () => process.exit(0));
  }
});
