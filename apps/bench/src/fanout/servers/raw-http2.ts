import { constants, createServer, type ServerHttp2Stream } from 'node:http2';
import { rawTickFrame, type TickPayload } from '../payload';
import type { FanoutServer } from './contract';
import { closeHttp2Server, listenOnLoopback, trackSessions } from './listen';

/**
 * The practical limit over HTTP/2 (cleartext, h2c): a minimal node:http2 server that answers each
 * stream with the event-stream headers, encodes each event once into a Buffer and writes that same
 * Buffer to every open stream. Like the HTTP/1.1 raw writer: no ids from a store, no replay, no
 * validation, no backpressure handling, no heartbeats.
 *
 * @returns the listening server
 *
 * @example
 * ```ts
 * const server = await createRawHttp2Server();
 * server.publish(tickPayload(1));
 * ```
 */
export async function createRawHttp2Server(): Promise<FanoutServer> {
  const streams = new Set<ServerHttp2Stream>();
  const server = createServer();
  const sessions = trackSessions(server);
  server.on('stream', (stream, headers) => {
    if (headers[constants.HTTP2_HEADER_PATH] !== '/events') {
      stream.respond({ ':status': 404 }, { endStream: true });
      return;
    }
    stream.respond({
      ':status': 200,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
    });
    stream.write(':\n\n');
    streams.add(stream);
    stream.on('close', () => streams.delete(stream));
    stream.on('error', () => streams.delete(stream));
  });
  const port = await listenOnLoopback(server);
  return {
    label: `raw node:http2 ${process.version} (h2c)`,
    port,
    clients: () => streams.size,
    publish(payload: TickPayload) {
      const bytes = rawTickFrame(payload);
      for (const stream of streams) stream.write(bytes);
    },
    close: () => closeHttp2Server(server, sessions),
  };
}
