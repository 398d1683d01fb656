import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createParser, type ParsedEvent } from '@app/sse-protocol';
import { waitFor } from '@app/test-utils';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createEmitter, createMemoryStore, type ReplayStore } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** A stream read over a bare TCP socket, so the HTTP/1.1 chunks the server wrote stay visible. */
interface ChunkedStream {
  /** The body, one entry per HTTP chunk, as text. */
  readonly chunks: string[];
  /** Every event parsed from the body, in order. */
  readonly events: ParsedEvent[];
  /** Catalog events only. */
  ticks(): ParsedEvent[];
}

function openChunked(url: string, path: string): Promise<ChunkedStream> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  fixture.onCleanup(() => socket.destroy());
  const stream: ChunkedStream = {
    chunks: [],
    events: [],
    ticks: () => stream.events.filter((event) => !event.event.startsWith('sse:')),
  };
  const parser = createParser({ onEvent: (event) => stream.events.push(event) });
  let buffer = Buffer.alloc(0);
  let headersDone = false;
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (!headersDone) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffer.subarray(0, end).toString('latin1');
        expect(head).toMatch(/^HTTP\/1\.1 200 /);
        expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
        buffer = buffer.subarray(end + 4);
        headersDone = true;
        resolve(stream);
      }
      // RFC 9112, section 7.1: chunk-size in hex, CRLF, chunk-data, CRLF.
      for (;;) {
        const line = buffer.indexOf('\r\n');
        if (line === -1) return;
        const size = Number.parseInt(buffer.subarray(0, line).toString('latin1'), 16);
        if (buffer.length < line + 2 + size + 2) return;
        const text = buffer.subarray(line + 2, line + 2 + size).toString('utf8');
        buffer = buffer.subarray(line + 2 + size + 2);
        stream.chunks.push(text);
        parser.feed(text);
      }
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
  });
}

describe('live frames published in one turn', () => {
  it('reach each connection as one write, shared by every connection, in order and complete', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const url = await fixture.serve(emitter);
    const streams = await Promise.all([openChunked(url, '/events'), openChunked(url, '/events')]);
    await waitFor(() =>
      expect(
        streams.every((s) => s.events.length === 1),
        'sse:hello on both',
      ).toBe(true),
    );
    const before = streams.map((s) => s.chunks.length);

    // Awaited one by one, as application code does: the memory store answers at once, so the
    // whole burst is published in one turn of the event loop.
    for (let n = 1; n <= 50; n++) await emitter.broadcast('tick', { n });
    await waitFor(() =>
      expect(
        streams.every((s) => s.ticks().length === 50),
        '50 ticks on both',
      ).toBe(true),
    );

    for (const [index, stream] of streams.entries()) {
      expect(stream.ticks().map((event) => JSON.parse(event.data).n)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      // One HTTP chunk for the 50 events, not 50.
      expect(stream.chunks.length - (before[index] as number)).toBe(1);
    }
    expect(streams[0]?.chunks.at(-1)).toBe(streams[1]?.chunks.at(-1));
  });

  it('keep each connection to the events of its channels, in publishing order, when runs differ', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const url = await fixture.serve(
      emitter,
      emitter.handler({ channels: (req) => (req.url?.includes('room=1') ? ['room:1'] : []) }),
    );
    const inRoom = await openChunked(url, '/events?room=1');
    const outside = await openChunked(url, '/events');
    await waitFor(() => {
      expect(inRoom.events, 'sse:hello').toHaveLength(1);
      expect(outside.events, 'sse:hello').toHaveLength(1);
    });

    const sent: { n: number; room: boolean }[] = [];
    for (let n = 1; n <= 30; n++) {
      const room = n % 3 === 0 || n % 7 === 0;
      sent.push({ n, room });
      if (room) await emitter.to('room:1').send('tick', { n });
      else await emitter.broadcast('tick', { n });
    }
    await emitter.broadcast('tick', { n: 31 });
    sent.push({ n: 31, room: false });
    await waitFor(() => expect(inRoom.ticks(), 'every event in the room').toHaveLength(31));
    await waitFor(() =>
      expect(outside.ticks(), 'broadcasts').toHaveLength(sent.filter((s) => !s.room).length),
    );

    expect(inRoom.ticks().map((event) => JSON.parse(event.data).n)).toEqual(sent.map((s) => s.n));
    expect(outside.ticks().map((event) => JSON.parse(event.data).n)).toEqual(
      sent.filter((s) => !s.room).map((s) => s.n),
    );
    // IDs increase along each stream: the order of publishing is the order on the wire.
    const seqs = inRoom.ticks().map((event) => Number(event.id.split('-')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});

describe('an empty frame from a custom store', () => {
  it('writes nothing: it never becomes the last-chunk marker that would end the body', async () => {
    const memory = createMemoryStore();
    let first = true;
    const store: ReplayStore = {
      ...memory,
      async append(request) {
        const stored = await memory.append(request);
        if (!first) return stored;
        first = false;
        return { ...stored, frame: new Uint8Array(0) };
      },
    };
    const url = await fixture.serve(createEmitter({ events, heartbeatMs: 0, store }));
    const stream = await openChunked(url, '/events');
    await waitFor(() => expect(stream.events.map((event) => event.event)).toContain('sse:hello'));
    await fixture.sse?.broadcast('tick', { n: 1 });
    // The write batch goes out on the next turn (setImmediate): the empty frame is written alone.
    await new Promise((resolve) => setImmediate(resolve));
    await fixture.sse?.broadcast('tick', { n: 2 });
    await waitFor(() => expect(stream.ticks().map((event) => event.data)).toEqual(['{"n":2}']));
    expect(stream.chunks).not.toContain('');
  });
});

describe('under Express 5', () => {
  it('writes live events past the response (not through res.write) and lets go of req.next', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const app = express();
    let opened: { req: IncomingMessage & { next?: unknown }; res: ServerResponse } | undefined;
    const handle = emitter.handler();
    app.get('/events', (req, res, next) => {
      opened = { req, res };
      handle(req, res, next);
    });
    const url = await fixture.serve(emitter, app);
    const stream = await openChunked(url, '/events');
    await waitFor(() => expect(stream.events, 'sse:hello').toHaveLength(1));
    const { req, res } = opened as NonNullable<typeof opened>;
    expect(req.next).toBeUndefined();

    // Express gives every response a prototype of its own, which makes each property read inside
    // `res.write` a megamorphic lookup: the stream's live bytes go to the socket instead.
    let writes = 0;
    const write = res.write;
    res.write = function (this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
      writes += 1;
      return write.apply(this, args);
    } as ServerResponse['write'];
    for (let n = 1; n <= 3; n++) {
      await emitter.broadcast('tick', { n });
      await waitFor(() => expect(stream.ticks(), `tick ${n}`).toHaveLength(n));
    }
    expect(writes).toBe(0);
    expect(stream.ticks().map((event) => JSON.parse(event.data).n)).toEqual([1, 2, 3]);

    // The end still goes through the response: the `retry:` of close(), then the last (empty) chunk.
    await emitter.close();
    await waitFor(() => expect(stream.chunks.at(-1), 'the last chunk').toBe(''));
    expect(stream.chunks.at(-2)).toBe('retry: 3000\n\n');
  });
});
