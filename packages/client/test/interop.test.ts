import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listen, seededRandom, settle, waitFor } from '@app/test-utils';
import { createSession, type Session } from 'better-sse';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client';
import type { EventMeta } from '../src/client-api';
import type { SseClientError } from '../src/errors';
import { events } from './support/catalog';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('interop with better-sse', { timeout: 15_000 }, () => {
  it('receives typed events with better-sse IDs and resumes with Last-Event-ID', async () => {
    const sessions: Session[] = [];
    const sockets: Socket[] = [];
    const resumedFrom: (string | undefined)[] = [];
    const server = await listen(async (req: IncomingMessage, res: ServerResponse) => {
      resumedFrom.push(req.headers['last-event-id'] as string | undefined);
      sockets.push(req.socket);
      sessions.push(await createSession(req, res, { retry: 30, keepAlive: 20 }));
    });
    cleanups.push(() => server.close());
    let origin = server.origin;
    const client = createClient({ url: () => `${origin}/sse`, events, backoff: { initialMs: 20 } });
    cleanups.push(() => client.close());
    const received: [string, EventMeta][] = [];
    const errors: SseClientError[] = [];
    client.on('user:joined', (data, meta) => void received.push([data.name, meta]));
    client.onError((error) => void errors.push(error));
    await waitFor(() => {
      expect(sessions, 'the session').toHaveLength(1);
      expect(client.state, 'the session').toBe('open');
    });

    const first = sessions[0]!;
    first.push({ userId: 'u1', name: 'Ada' }, 'user:joined');
    const firstId = first.lastId;
    first.push('plain message');
    first.push({ userId: 'u2', name: 'Bob' }, 'user:joined', 'custom-7');
    await waitFor(() => {
      expect(received, 'the events').toHaveLength(2);
      expect(errors, 'the events').toHaveLength(1);
    });
    expect(received).toEqual([
      ['Ada', { id: firstId, event: 'user:joined' }],
      ['Bob', { id: 'custom-7', event: 'user:joined' }],
    ]);
    expect(errors.map((error) => [error.code, error.event])).toEqual([['unknown-event', 'message']]);
    // Five keep-alive comments (at least 2 bytes each) do not disturb anything.
    const socket = sockets[0]!;
    const written = socket.bytesWritten;
    await waitFor(() => expect(socket.bytesWritten, 'five keep-alives').toBeGreaterThanOrEqual(written + 10));
    await settle();
    expect(errors).toHaveLength(1);

    // The server moves to a new instance: the client comes back with the last ID better-sse gave it.
    const again = await listen(async (req, res) => {
      resumedFrom.push(req.headers['last-event-id'] as string | undefined);
      const session = await createSession(req, res, { retry: 30, keepAlive: null });
      sessions.push(session);
      session.push({ userId: 'u3', name: 'Cy' }, 'user:joined', 'custom-8');
    });
    cleanups.push(() => again.close());
    origin = again.origin;
    await server.close();
    await waitFor(() => expect(received, 'the event after the reconnection').toHaveLength(3));
    expect(resumedFrom).toEqual([undefined, 'custom-7']);
    expect(sessions[1]!.lastId).toBe('custom-8');
    expect(received.map(([name]) => name)).toEqual(['Ada', 'Bob', 'Cy']);
  });
});

describe('interop with a raw node:http server', { timeout: 15_000 }, () => {
  const log = Array.from({ length: 15 }, (_, index) => ({
    id: `e${index + 1}`,
    // Multi-byte characters, so that chunk borders split them.
    data: { userId: `u${index + 1}`, name: `Zoë ${index + 1} 🎉` },
  }));

  /** One event, CRLF line endings, its JSON split over two data lines (joined with LF, still JSON). */
  function crlfEvent(entry: (typeof log)[number]): string {
    const json = JSON.stringify(entry.data);
    const cut = json.indexOf(',');
    return `id: ${entry.id}\r\nevent: user:joined\r\ndata: ${json.slice(0, cut + 1)}\r\ndata: ${json.slice(cut + 1)}\r\n\r\n`;
  }

  it('handles CRLF, tiny chunks, a BOM, comments and retry:, and resumes where each stream ended', async () => {
    const random = seededRandom(7);
    let bytesSent = 0;
    let bytesRead = 0;
    const resumedFrom: (string | undefined)[] = [];
    const server = await listen(async (req, res) => {
      const lastEventId = req.headers['last-event-id'] as string | undefined;
      resumedFrom.push(lastEventId);
      const start = lastEventId === undefined ? 0 : log.findIndex((entry) => entry.id === lastEventId) + 1;
      const batch = log.slice(start, start + 5);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.socket?.setNoDelay(true);
      const text = `\uFEFF:hello\r\nretry: 400\r\n\r\n${batch.map(crlfEvent).join(':keep-alive\r\n')}`;
      const bytes = Buffer.from(text, 'utf8');
      // Tiny writes (1 to 3 bytes), each flushed, with a pause so the client reads it alone.
      for (let offset = 0; offset < bytes.length; ) {
        const size = 1 + Math.floor(random() * 3);
        const piece = bytes.subarray(offset, offset + size);
        offset += size;
        await new Promise((resolve) => res.write(piece, resolve));
        bytesSent += piece.byteLength;
        // The next piece goes out once the client has read this one, so each arrives alone.
        while (bytesRead < bytesSent) await settle(1);
      }
      if (start + 5 < log.length) res.end();
    });
    cleanups.push(() => server.close());
    const chunkSizes: number[] = [];
    const client = createClient({
      url: `${server.origin}/stream`,
      events,
      random: () => 0.99,
      // Counts the chunks the body really arrives in.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const counted = response.body!.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              chunkSizes.push(chunk.byteLength);
              bytesRead += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        );
        return new Response(counted, { status: response.status, headers: response.headers });
      },
    });
    cleanups.push(() => client.close());
    const received: string[] = [];
    const errors: SseClientError[] = [];
    const delays: number[] = [];
    client.on('user:joined', (data, meta) => void received.push(`${meta.id}:${data.name}`));
    client.onError((error) => void errors.push(error));
    client.onState((state) => {
      if (state === 'reconnecting') delays.push(client.getSnapshot().retryAt! - Date.now());
    });

    await waitFor(() => expect(received, 'all 15 events').toHaveLength(15), { timeoutMs: 10_000 });
    expect(received).toEqual(log.map((entry) => `${entry.id}:${entry.data.name}`));
    expect(resumedFrom).toEqual([undefined, 'e5', 'e10']);
    expect(errors).toEqual([]);
    // The body really arrived in pieces of 1 to 3 bytes (most of them; a busy machine may merge a few).
    expect(chunkSizes.filter((size) => size <= 3).length).toBeGreaterThan(chunkSizes.length / 2);
    expect(chunkSizes.length).toBeGreaterThan(300);
    // The server's retry: 400 is the least wait, and the base of the backoff on top of it (random
    // 0.99 of 400 ms, not of the 1000 ms default); each stream ends well before HEALTHY_AFTER_MS,
    // so the second backoff is one step up.
    expect(delays).toHaveLength(2);
    const [first, second] = delays as [number, number];
    expect(first).toBeGreaterThan(700);
    expect(first).toBeLessThanOrEqual(400 + 396);
    expect(second).toBeGreaterThan(1100);
    expect(second).toBeLessThanOrEqual(400 + 792);
  });
});
