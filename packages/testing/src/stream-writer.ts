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
  /**
   * Breaks the connection mid-stream, as a network failure, once everything written before reached
   * the reader: a server's bytes sent before a cut arrive, so a drop right after a send still
   * delivers the event.
   */
  cut(): void;
  /** Ends the body cleanly (EOF), as a server that closes the stream. */
  end(): void;
  /** The client aborted the request: reads of the body fail with an `AbortError`, as with fetch. */
  abort(reason?: unknown): void;
}

/** What msw's `sse()` resolver hands over as `client` (the part used here). */
export interface MswSseClient {
  send(payload: { id?: string; event?: string; data?: unknown } | { retry: number }): void;
  error(): void;
  close(): void;
}

/**
 * Runs `task` after the current macrotask, once every promise job queued meanwhile ran: the chunks
 * already enqueued travel through msw's and fetch's stream plumbing on promise jobs, so by then the
 * reader has them. `setTimeout` (not a captured copy): under fake timers, advancing them runs it.
 */
function afterReaderTurn(task: () => void): void {
  setTimeout(task, 0);
}

/**
 * A writer over msw's `sse()` client. Data goes as the JSON text already made, so msw writes it
 * unchanged (it only stringifies objects).
 *
 * @param client - the `client` of msw's `sse()` resolver
 */
export function mswSseWriter(client: MswSseClient): StreamWriter {
  let cut = false;
  return {
    event: (frame) =>
      client.send(
        frame.id === undefined
          ? { event: frame.event, data: frame.data }
          : { id: frame.id, event: frame.event, data: frame.data },
      ),
    retry: (ms) => client.send({ retry: ms }),
    cut() {
      if (cut) return;
      cut = true;
      // msw's client.error() errors its stream at once, which discards the chunks the reader has
      // not taken yet; msw gives no view of its queue, so the error waits for the reader's turn.
      afterReaderTurn(() => client.error());
    },
    end: () => client.close(),
    abort: () => client.close(),
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
  /** `open`: writable; `cutting`: a cut waits for the reader to drain the queue; `done`: over. */
  let state: 'open' | 'cutting' | 'done' = 'open';
  const fail = (reason: unknown) => {
    if (state === 'done') return;
    state = 'done';
    controller.error(reason);
  };
  const dropped = () => fail(new TypeError('@app/sse-testing: connection dropped'));
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    // Called once the reader took every queued chunk: erroring a stream discards its queue, so a
    // cut errors it only from here (and after the reader's turn, for the streams msw pipes it into).
    pull() {
      if (state === 'cutting') afterReaderTurn(dropped);
    },
    cancel() {
      state = 'done';
      onCancel();
    },
  });
  const write = (text: string) => {
    if (state === 'open') controller.enqueue(encoder.encode(text));
  };
  // The server's first bytes: a comment, so the response is seen alive at once.
  write(encodeComment('ok'));
  return {
    body,
    writer: {
      event: (frame) => write(encodeEvent(frame)),
      retry: (ms) => write(`${encodeRetry(ms)}\n`),
      cut() {
        if (state !== 'open') return;
        state = 'cutting';
        // An empty queue gets no pull() until the next chunk: cut after the reader's turn now.
        if ((controller.desiredSize ?? 0) > 0) afterReaderTurn(dropped);
      },
      end() {
        if (state !== 'open') return;
        state = 'done';
        controller.close();
      },
      abort(reason) {
        fail(reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError'));
      },
    },
  };
}
