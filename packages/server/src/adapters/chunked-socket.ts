// HTTP/1.1 chunk framing written straight to a response's socket (see NodeTransport in node-http.ts).
import { Buffer } from 'node:buffer';

/** The socket of a node:http response; `_httpMessage` is the response it currently serves. */
export interface StreamSocket {
  readonly writableLength: number;
  readonly _httpMessage?: unknown;
  write(chunk: Uint8Array): boolean;
  cork(): void;
  uncork(): void;
  end(): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

const CRLF = Buffer.from('\r\n');
/** Chunks up to this size are framed by copying them once; larger ones are sent as three parts. */
const FRAME_COPY_LIMIT = 64 * 1024;

// The last chunk framed for HTTP/1.1 and its framed bytes. A fan-out writes the same chunk to every
// connection in a row, so one entry is enough for them all to share a single framed copy.
let lastChunk: Uint8Array | null = null;
let lastFramed: Uint8Array | null = null;
// The last large chunk written unframed (a large chunk is copied only once a second connection writes it).
let lastLarge: Uint8Array | null = null;

/**
 * Writes `chunk` to `socket` as one HTTP/1.1 chunk (RFC 9112, section 7.1: size in hex, CRLF,
 * data, CRLF), which is what `res.write(chunk)` sends, in a single socket write for a chunk that
 * many connections share: the framed copy is made once and reused.
 */
export function writeChunked(socket: StreamSocket, chunk: Uint8Array): boolean {
  // An empty chunk is the last-chunk marker (`0\r\n\r\n`), which would end the body: like
  // `res.write()`, an empty write sends nothing.
  if (chunk.byteLength === 0) return socket.write(chunk);
  if (chunk === lastChunk) return socket.write(lastFramed as Uint8Array);
  const size = chunk.byteLength.toString(16);
  if (chunk.byteLength > FRAME_COPY_LIMIT && chunk !== lastLarge) {
    // A large chunk written once (a replay) is not worth a copy: three parts, one corked write.
    lastLarge = chunk;
    socket.cork();
    socket.write(Buffer.from(`${size}\r\n`, 'latin1'));
    socket.write(chunk);
    const accepted = socket.write(CRLF);
    socket.uncork();
    return accepted;
  }
  const framed = Buffer.allocUnsafe(size.length + 2 + chunk.byteLength + 2);
  framed.write(size, 0, 'latin1');
  let at = size.length;
  framed[at++] = 13;
  framed[at++] = 10;
  framed.set(chunk, at);
  at += chunk.byteLength;
  framed[at++] = 13;
  framed[at] = 10;
  lastChunk = chunk;
  lastFramed = framed;
  return socket.write(framed);
}
