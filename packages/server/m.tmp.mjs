import http from 'node:http';
import { fork } from 'node:child_process';
import { createEmitter } from '/work/main/packages/server/dist/index.js';
import { defineEvents } from '@app/sse-protocol';
import { z } from 'zod';
const mode = process.argv[2]; const N = Number(process.argv[3] ?? 2000); const K = 200;
const events = defineEvents({ tick: z.object({ n: z.number(), pad: z.string() }) });
const pad = 'x'.repeat(1000);
let handler; let publish; let seq = 0;
if (mode === 'raw') {
  const conns = new Set();
  handler = (_req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(': ok\n\n'); conns.add(res); res.on('close', () => conns.delete(res)); };
  publish = async (n) => { seq++; const buf = Buffer.from(`id: e-${seq}\nevent: tick\ndata: ${JSON.stringify({ n, pad })}\n\n`); for (const res of conns) res.write(buf); return buf.length; };
} else {
  const sse = createEmitter({ events, heartbeatMs: 0, replay: { maxEvents: 1000, maxBytes: 4 << 20 } });
  handler = sse.handler();
  publish = async (n) => { await sse.broadcast('tick', { n, pad }); return 0; };
}
const server = http.createServer(handler);
await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
const child = fork('/tmp/sse-measure/load.mjs', [`http://127.0.0.1:${server.address().port}/`, String(N)]);
await new Promise((r) => child.once('message', r));
await new Promise((r) => setTimeout(r, 300));
const frameLen = mode === 'raw' ? Buffer.byteLength(`id: e-1\nevent: tick\ndata: ${JSON.stringify({ n: 1, pad })}\n\n`) : Buffer.byteLength(`id: xxxxxxxxxxxxxx-1\nevent: tick\ndata: ${JSON.stringify({ n: 1, pad })}\n\n`);
// throughput: K events, all delivered
const t0 = performance.now();
const done = new Promise((r) => child.once('message', r));
child.send(Math.floor(N * K * frameLen * 0.999));
let cpu = 0;
for (let i = 0; i < K; i++) { const s = performance.now(); await publish(i); cpu += performance.now() - s; await new Promise((r) => setImmediate(r)); }
await done;
const t = performance.now() - t0;
console.log(mode, N, 'deliveries/s', Math.round((N * K) / (t / 1000)), 'fanout cpu ms/event', (cpu / K).toFixed(2));
child.send('exit'); server.closeAllConnections(); server.close(); process.exit(0);
