import {
  type EventCatalog,
  HELLO_EVENT,
  LAST_EVENT_ID_HEADER,
  LAST_EVENT_ID_QUERY,
  parseEventId,
  RESET_EVENT,
  type ResetReason,
} from '@app/sse-protocol';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { http, type Path, sse } from 'msw';
import { assertEpoch, createTestEpoch } from './event-ids';
import type { MockConnection, MockEventStream, MockEventStreamOptions } from './mock-event-stream-api';
import {
  bodyStreamWriter,
  type MockFrame,
  type MswSseClient,
  mswSseWriter,
  type StreamWriter,
} from './stream-writer';

interface Sent extends MockFrame {
  readonly id: string;
  readonly seq: number;
}

interface LiveConnection {
  readonly record: ConnectionRecord;
  readonly writer: StreamWriter;
}

interface ConnectionRecord extends MockConnection {
  open: boolean;
  settle(): void;
}

/**
 * The ID a request resumes from, as `@app/sse-server` reads it: the `Last-Event-ID` header, else
 * the `lastEventId` query parameter, an empty value counting as absent; `''` for none.
 */
function lastEventIdOf(request: Request): string {
  const header = request.headers.get(LAST_EVENT_ID_HEADER);
  if (header !== null && header !== '') return header;
  return new URL(request.url).searchParams.get(LAST_EVENT_ID_QUERY) ?? '';
}

/** What `@app/sse-server` answers a malformed `Last-Event-ID` with, before anything else. */
const MALFORMED_ID_MESSAGE = 'Last-Event-ID must be an event ID of this server, <epoch>-<seq>';

function badRequest(): Response {
  return new Response(MALFORMED_ID_MESSAGE, {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function checkRetry(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(
      `@app/sse-testing: retry must be a non-negative integer of milliseconds, got ${String(ms)}`,
    );
  }
}

function canBuildSse(): boolean {
  return typeof (globalThis as { EventSource?: unknown }).EventSource === 'function';
}

/**
 * Mocks an `@app/sse-server` event stream at `url` with msw, typed by the same catalog: every
 * connection gets `sse:hello` with the catalog's real fingerprint, IDs in the server's
 * `<epoch>-<seq>` format, a replay of what it missed when it resumes with `Last-Event-ID`, and
 * `sse:reset` when it cannot be replayed. The test drives it: `send`, `reset`, `retry`, `drop`,
 * `end`, `refuse`, reads `connections`, and `clear()`s it between tests.
 *
 * @param events - the event catalog (from `defineEvents`)
 * @param url - the stream's URL or msw path pattern, as the client requests it
 * @param options - `epoch`, `retryMs` (default 50) and `transport` (default `'auto'`)
 * @returns the mock; pass `stream.handlers` to msw
 * @throws TypeError or RangeError for invalid arguments
 *
 * @example
 * ```ts
 * import { createClient } from '@app/sse-client';
 * import { mockEventStream } from '@app/sse-testing';
 * import { setupServer } from 'msw/node';
 *
 * const stream = mockEventStream(events, 'http://localhost/events');
 * const server = setupServer(...stream.handlers);
 * server.listen();
 * const client = createClient({ url: 'http://localhost/events', events });
 * await stream.waitForConnection(0);
 * stream.send('notification', { message: 'Shipped', severity: 'info' });
 * ```
 */
export function mockEventStream<C extends EventCatalog>(
  events: C,
  url: Path,
  options: MockEventStreamOptions = {},
): MockEventStream<C> {
  if (typeof events?.has !== 'function' || typeof events.parse !== 'function') {
    throw new TypeError('@app/sse-testing: mockEventStream() takes a catalog made by defineEvents()');
  }
  const epoch = options.epoch ?? createTestEpoch();
  assertEpoch(epoch);
  const initialRetryMs = options.retryMs ?? 50;
  checkRetry(initialRetryMs);
  let retryMs = initialRetryMs;
  const transport = options.transport ?? 'auto';
  if (transport !== 'auto' && transport !== 'sse' && transport !== 'http') {
    throw new TypeError(
      `@app/sse-testing: transport must be 'auto', 'sse' or 'http', got ${String(transport)}`,
    );
  }
  const useSse = transport === 'sse' || (transport === 'auto' && canBuildSse());

  const sent: Sent[] = [];
  const connections: ConnectionRecord[] = [];
  const live = new Set<LiveConnection>();
  const refusals: { status: number; headers: HeadersInit | undefined }[] = [];
  const waiters: { index: number; resolve: (connection: MockConnection) => void }[] = [];
  let seq = 0;
  /** Events up to this sequence number can no longer be replayed (after `reset()`). */
  let forgottenUpTo = 0;
  let pendingReset: ResetReason | null = null;

  const head = () => `${epoch}-${seq}`;

  function record(request: Request, status: number, clientId: string | null): ConnectionRecord {
    let settle!: () => void;
    const closed = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const connection: ConnectionRecord = {
      index: connections.length,
      request,
      lastEventId: lastEventIdOf(request),
      status,
      clientId,
      open: status === 200 && clientId !== null,
      closed,
      settle() {
        connection.open = false;
        settle();
      },
    };
    if (!connection.open) settle();
    connections.push(connection);
    for (const waiter of waiters.filter((w) => w.index === connection.index)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(connection);
    }
    return connection;
  }

  /** What a resume from `lastEventId` gets: the events after it, or the reason it cannot. */
  function resumeFrom(lastEventId: string): { replay: readonly Sent[] } | { reset: ResetReason } {
    if (lastEventId === '') return { replay: [] };
    const position = parseEventId(lastEventId);
    // Not reached: the refusal handler answers a malformed ID with 400 first, as the server does.
    if (position === undefined) return { reset: 'unknown-id' };
    if (position.epoch !== epoch) return { reset: 'epoch-changed' };
    if (position.seq > seq) return { reset: 'unknown-id' };
    if (position.seq < forgottenUpTo) return { reset: 'evicted' };
    return { replay: sent.filter((event) => event.seq > position.seq) };
  }

  /** Starts one stream: the server's first frames, then the replay or the reset. */
  function open(request: Request, writer: StreamWriter): LiveConnection {
    const clientId = globalThis.crypto.randomUUID();
    const connection = record(request, 200, clientId);
    const entry: LiveConnection = { record: connection, writer };
    live.add(entry);
    request.signal.addEventListener(
      'abort',
      () => {
        close(entry);
        // As with a real fetch: reads of an aborted response's body fail instead of hanging.
        writer.abort(request.signal.reason);
      },
      { once: true },
    );
    const resume = resumeFrom(connection.lastEventId);
    writer.retry(retryMs);
    const hello = JSON.stringify({ clientId, fingerprint: catalogFingerprint(events), heartbeatMs: 0 });
    const reset = 'reset' in resume ? resume.reset : pendingReset;
    pendingReset = null;
    if (reset !== null) {
      // As @app/sse-server does: the hello carries no ID and the reset carries the head, so the
      // client's position moves only with a reset that arrived whole.
      writer.event({ event: HELLO_EVENT, data: hello });
      writer.event({ id: head(), event: RESET_EVENT, data: resetData(reset, connection.lastEventId) });
      return entry;
    }
    // sse:hello carries the position the stream continues from: the client's own ID on a resume,
    // else the head.
    const position = connection.lastEventId !== '' ? connection.lastEventId : head();
    writer.event({ id: position, event: HELLO_EVENT, data: hello });
    if ('replay' in resume) for (const event of resume.replay) writer.event(event);
    return entry;
  }

  function close(entry: LiveConnection): void {
    if (!live.delete(entry)) return;
    entry.record.settle();
  }

  function resetData(reason: ResetReason, lastEventId: string): string {
    return JSON.stringify({ reason, lastEventId });
  }

  function everyOpen(act: (entry: LiveConnection) => void): number {
    const entries = [...live];
    for (const entry of entries) act(entry);
    return entries.length;
  }

  const refusalHandler = http.get(url, ({ request }) => {
    const lastEventId = lastEventIdOf(request);
    if (lastEventId !== '' && parseEventId(lastEventId) === undefined) {
      record(request, 400, null);
      return badRequest();
    }
    const refusal = refusals.shift();
    if (refusal === undefined) return undefined;
    record(request, refusal.status, null);
    const body = refusal.status === 204 ? null : `refused with ${refusal.status}`;
    return new Response(body, { status: refusal.status, headers: refusal.headers });
  });

  const streamHandler = useSse
    ? sse(url, ({ client, request }) => {
        open(request, mswSseWriter(client as unknown as MswSseClient));
      })
    : http.get(url, ({ request }) => {
        let entry: LiveConnection | undefined;
        const { body, writer } = bodyStreamWriter(() => {
          if (entry !== undefined) close(entry);
        });
        entry = open(request, writer);
        return new Response(body, {
          // The headers @app/sse-server sends with a stream.
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            'x-accel-buffering': 'no',
          },
        });
      });

  return {
    handlers: Object.freeze([refusalHandler, streamHandler]),
    connections,
    get head() {
      return head();
    },
    send(...[name, data]) {
      const parsed = events.parse(name, data);
      seq += 1;
      const event: Sent = { id: head(), seq, event: name, data: JSON.stringify(parsed) };
      sent.push(event);
      everyOpen((entry) => entry.writer.event(event));
      return event.id;
    },
    reset(reason = 'evicted') {
      if (!['evicted', 'epoch-changed', 'unknown-id'].includes(reason)) {
        throw new TypeError(
          `@app/sse-testing: reset reason must be evicted, epoch-changed or unknown-id, got ${String(reason)}`,
        );
      }
      forgottenUpTo = seq;
      const count = everyOpen((entry) =>
        entry.writer.event({
          id: head(),
          event: RESET_EVENT,
          data: resetData(reason, entry.record.lastEventId),
        }),
      );
      if (count === 0) pendingReset = reason;
    },
    retry(ms) {
      checkRetry(ms);
      retryMs = ms;
      everyOpen((entry) => entry.writer.retry(ms));
    },
    drop() {
      return everyOpen((entry) => {
        close(entry);
        entry.writer.cut();
      });
    },
    end() {
      return everyOpen((entry) => {
        close(entry);
        // As the server's close() ends a stream: when to come back, then the end.
        entry.writer.retry(retryMs);
        entry.writer.end();
      });
    },
    refuse(status, headers) {
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(
          `@app/sse-testing: refuse() takes an HTTP status from 200 to 599, got ${String(status)}`,
        );
      }
      refusals.push({ status, headers });
    },
    clear() {
      everyOpen((entry) => {
        close(entry);
        entry.writer.cut();
      });
      connections.length = 0;
      refusals.length = 0;
      waiters.length = 0;
      sent.length = 0;
      seq = 0;
      forgottenUpTo = 0;
      pendingReset = null;
      retryMs = initialRetryMs;
    },
    waitForConnection(index = connections.length) {
      if (!Number.isSafeInteger(index) || index < 0) {
        // Checked at once: no connection ever has such an index, and the wait would never end.
        throw new RangeError(
          `@app/sse-testing: waitForConnection() takes a connection index from 0, got ${String(index)}`,
        );
      }
      const existing = connections[index];
      if (existing !== undefined) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
  };
}
