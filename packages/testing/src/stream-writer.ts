import { encodeComment, encodeEvent, encodeRetry } from '@app/sse-protocol';

/** One event as a mock stream writes it. */
export interface MockFrame {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** Writes one mocked connection: the same operations whether msw's `sse()` or a plain body carries it. */
export interface StreamWriter {
  event(frame: MockFrame): void;
  retry(ms: number): void;
  /** Errors the body: the client sees the connection break mid-stream. */
  cut(): void;
  /** Ends the body cleanly (EOF), as a server that closes the stream. */
  end(): void;
}

/** What msw's `sse()` resolver hands over as `client` (the part used here). */
export interface MswSseClient {
  send(payload: { id?: string; event?: string; data?: unknown } | { retry: number }): void;
  error(): void;
  close(): void;
}

/**
 * A writer over msw's `sse()` client. Data goes as the JSON text already made, so msw writes it
 * unchanged (it only stringifies objects).
 *
 * @param client - the `client` of msw's `sse()` resolver
 */
export function mswSseWriter(client: MswSseClient): StreamWriter {
  return {
    event: (frame) =>
      client.send(
        frame.id === undefined
          ? { event: frame.event, data: frame.data }
          : { id: frame.id, event: frame.event, data: frame.data },
      ),
    retry: (ms) => client.send({ retry: ms }),
    cut: () => client.error(),
    end: () => client.close(),
  };
}

/**
 * A writer over a plain `ReadableStream` body, for runtimes where msw's `sse()` cannot be built
 * (it needs a global `EventSource`, which Node 20 and jsdom lack). Frames are encoded by
 * `@app/sse-protocol`, as the server encodes them.
 *
 * @param onCancel - called when the client cancels the body (it closed the connection)
 */
export function bodyStreamWriter(onCancel: () => void): {
  body: ReadableStream<Uint8Array>;
  writer: StreamWriter;
} {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
      onCancel();
    },
  });
  const write = (text: string) => {
    if (open) controller.enqueue(encoder.encode(text));
  };
  // The server's first bytes: a comment, so the response is seen alive at once.
  write(encodeComment('ok'));
  return {
    body,
    writer: {
      event: (frame) => write(encodeEvent(frame)),
      retry: (ms) => write(`${encodeRetry(ms)}\n`),
      cut() {
        if (!open) return;
        open = false;
        controller.error(new TypeError('@app/sse-testing: connection dropped'));
      },
      end() {
        if (!open) return;
        open = false;
        controller.close();
      },
    },
  };
}
