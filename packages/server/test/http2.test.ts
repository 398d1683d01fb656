import { connect, createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createParser, HELLO_EVENT, type ParsedEvent } from '@app/sse-protocol';
import { waitFor } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { createEmitter } from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

describe('node:http2 compatibility API', () => {
  it('streams over HTTP/2 with the same handler, without the HTTP/1-only Connection header', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    fixture.sse = emitter;
    const server = createServer(
      emitter.handler({ authorize: (req) => ({ userId: String(req.headers['x-user']) }) }),
    );
    fixture.onCleanup(() => new Promise((resolve) => server.close(resolve)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      const stream = session.request({ ':path': '/events', 'x-user': 'ada' });
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.on('response', resolve));
      expect(headers[':status']).toBe(200);
      expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(headers['cache-control']).toBe('no-cache, no-transform');
      expect(headers.connection).toBeUndefined();
      expect(headers['x-accel-buffering']).toBeUndefined();
      const received: ParsedEvent[] = [];
      const parser = createParser({ onEvent: (event) => received.push(event) });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => parser.feed(chunk));
      await waitFor(() => expect(received, 'sse:hello').toHaveLength(1));
      expect(received[0]?.event).toBe(HELLO_EVENT);
      const sent = await emitter.to('user:ada').send('tick', { n: 7 });
      await waitFor(() => expect(received, 'the event').toHaveLength(2));
      expect(received[1]).toEqual({ id: sent.id, event: 'tick', data: '{"n":7}' });
      stream.close();
      await waitFor(() => expect(emitter.stats().clients, 'the stream to be forgotten').toBe(0));
    } finally {
      session.close();
    }
  });
});
