import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('streams with fake timers', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start(c) { ctrl = c; } });
  server.use(http.get('http://test.local/events', ({ request }) => {
    console.log('req headers', request.headers.get('last-event-id'));
    return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
  }));
  const res = await fetch('http://test.local/events', { headers: { 'last-event-id': 'x' } });
  const reader = res.body!.getReader();
  ctrl.enqueue(new TextEncoder().encode('data: hi\n\n'));
  const r = await reader.read();
  expect(new TextDecoder().decode(r.value)).toBe('data: hi\n\n');
  const ac = new AbortController();
  const stream2 = new ReadableStream<Uint8Array>({ start(c) { } , cancel() { console.log('cancelled'); }});
  server.use(http.get('http://test.local/e2', () => new HttpResponse(stream2, { headers: { 'content-type': 'text/event-stream' } })));
  const res2 = await fetch('http://test.local/e2', { signal: ac.signal });
  const reader2 = res2.body!.getReader();
  const p = reader2.read();
  ac.abort();
  await expect(p).rejects.toThrow();
  vi.useRealTimers();
});
