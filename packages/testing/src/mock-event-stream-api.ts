import type { EventCatalog, EventInput, EventName, ResetReason } from '@app/sse-protocol';
import type { HttpHandler } from 'msw';

/**
 * The arguments of {@link MockEventStream.send}: a name and the payload of that very name. A
 * distributive tuple, so that a name typed as a union (`'a' | 'b'`) takes the payload of `'a'` with
 * `'a'` and the one of `'b'` with `'b'`, never either with either.
 *
 * @typeParam C - the event catalog
 * @typeParam N - the event name(s)
 *
 * @example
 * ```ts
 * const args: SendArgs<typeof events, 'notification'> = ['notification', { message: 'Hi', severity: 'info' }];
 * ```
 */
export type SendArgs<C extends EventCatalog, N extends EventName<C>> = {
  [K in N]: [name: K, data: EventInput<C, K>];
}[N];

/**
 * Options of {@link mockEventStream}.
 *
 * @example
 * ```ts
 * const options: MockEventStreamOptions = { epoch: 'test', retryMs: 50 };
 * ```
 */
export interface MockEventStreamOptions {
  /**
   * The epoch of the event IDs (`<epoch>-<seq>`), as the server's replay store names one life.
   * @defaultValue a fresh random epoch per mock
   */
  epoch?: string;
  /**
   * The `retry:` sent as each stream starts: the client's base reconnection delay. Small by
   * default, so reconnection tests run fast.
   * @defaultValue `50`
   */
  retryMs?: number;
  /**
   * What carries the stream: msw's `sse()` handler, or a plain `http.get` handler with a streamed
   * body. `sse()` needs a global `EventSource` when the handler is made (browsers; Node 22 and up
   * with `--experimental-eventsource`), which Node 20 and jsdom lack; `'auto'` picks `sse()` where
   * it can be built. Both write the same events, IDs and `retry:` values, which is what a client
   * reads; the bytes differ in details that a parser ignores: the `http` body is the server's to
   * the byte (`: ok` first, `field: value`), msw's `sse()` writes `field:value` without the space,
   * no `: ok` comment, and `text/event-stream` without `; charset=utf-8`.
   * @defaultValue `'auto'`
   */
  transport?: 'auto' | 'sse' | 'http';
}

/**
 * One request the mock received.
 *
 * @example
 * ```ts
 * const connection: MockConnection = await stream.waitForConnection(1);
 * expect(connection.lastEventId).toBe(firstId);
 * ```
 */
export interface MockConnection {
  /** Its position among the connections, from 0. */
  readonly index: number;
  /** The request, as msw received it. */
  readonly request: Request;
  /**
   * The ID it resumed from, read as the server reads it: the `Last-Event-ID` header, else (header
   * absent or empty) the `lastEventId` query parameter; `''` for none.
   */
  readonly lastEventId: string;
  /** The status it was answered with: 200 for a stream, or what `refuse()` set. */
  readonly status: number;
  /** The `clientId` its `sse:hello` announced; `null` for a refused connection. */
  readonly clientId: string | null;
  /** Whether its stream is still open. */
  readonly open: boolean;
  /** Settles when its stream ends, however it ends (at once for a refused connection). */
  readonly closed: Promise<void>;
}

/**
 * A typed mock of an `@app/sse-server` event stream, made by {@link mockEventStream}.
 *
 * @typeParam C - the event catalog
 */
export interface MockEventStream<C extends EventCatalog> {
  /**
   * The msw handlers: pass them to `setupServer(...)`, `setupWorker(...)` or `server.use(...)`.
   *
   * @example
   * ```ts
   * const server = setupServer(...stream.handlers);
   * ```
   */
  readonly handlers: readonly HttpHandler[];
  /**
   * Every request received so far, in order.
   *
   * @example
   * ```ts
   * expect(stream.connections.map((c) => c.lastEventId)).toEqual(['', firstId]);
   * ```
   */
  readonly connections: readonly MockConnection[];
  /**
   * The ID of the newest event sent (`<epoch>-0` before the first): what the server's `head()`
   * would answer, for a snapshot endpoint that returns `{ state, lastEventId }`.
   *
   * @example
   * ```ts
   * http.get('/api/state', () => HttpResponse.json({ state, lastEventId: stream.head }));
   * ```
   */
  readonly head: string;
  /**
   * Validates `data` against the catalog, gives the event the next ID and writes it to every open
   * stream; it is kept, so a client resuming from an earlier ID gets it replayed.
   *
   * The name and the payload are checked together: with a name typed as a union of names, the
   * payload must fit the name it is (narrow the name first), not any of them.
   *
   * @param args - `name` (a catalog event name) and `data` (its payload, the schema's input type)
   * @returns the event's ID
   * @throws `EventValidationError` (from `@app/sse-protocol`) for an unknown name or a bad payload
   *
   * @example
   * ```ts
   * const id = stream.send('notification', { message: 'Shipped', severity: 'info' });
   * ```
   */
  send<N extends EventName<C>>(...args: SendArgs<C, N>): string;
  /**
   * Sends `sse:reset` (the server cannot replay what the client missed) on every open stream, or,
   * when none is open, on the next connection. Later resumes from an ID sent before are refused
   * the same way, as the server does once the history is gone.
   *
   * @param reason - `evicted`, `epoch-changed` or `unknown-id` @defaultValue `'evicted'`
   *
   * @example
   * ```ts
   * stream.reset();
   * await screen.findByText('Reloading…');
   * ```
   */
  reset(reason?: ResetReason): void;
  /**
   * Sends `retry:` on every open stream (and on every later one), changing the client's base
   * reconnection delay.
   *
   * @param ms - milliseconds, a non-negative integer
   *
   * @example
   * ```ts
   * stream.retry(10);
   * ```
   */
  retry(ms: number): void;
  /**
   * Cuts every open stream in the middle, as a network failure: the client reconnects and sends
   * its last event ID. As on a network, what was written before the cut arrives first: an event
   * sent just before `drop()` is delivered, then the connection fails (on the next macrotask turn,
   * once the reader has taken it; under fake timers, when timers are advanced). The stream counts as
   * closed at once: events sent after `drop()` go to the next connection, through replay.
   *
   * @returns how many streams were cut
   *
   * @example
   * ```ts
   * stream.drop();
   * expect((await stream.waitForConnection(1)).lastEventId).toBe(lastId);
   * ```
   */
  drop(): number;
  /**
   * Ends every open stream cleanly (EOF), as a server that closes them (`close()` of
   * `@app/sse-server`): the stream's `retry:` value, then the end; the client reconnects.
   *
   * @returns how many streams were ended
   *
   * @example
   * ```ts
   * stream.end();
   * ```
   */
  end(): number;
  /**
   * Answers the next connection with `status` (and `headers`) instead of a stream. Calls queue up,
   * one per connection (a request with a malformed `Last-Event-ID` is answered 400 first, as the
   * server does, and leaves the queue alone). `204` tells the client to stop; `401`/`403` are fatal; `503` with
   * `Retry-After` is retried after it; a `200` with another `content-type` is refused by the client.
   *
   * @param status - the HTTP status, 200 to 599
   * @param headers - response headers @defaultValue none
   *
   * @example
   * ```ts
   * stream.refuse(503, { 'retry-after': '1' });
   * ```
   */
  refuse(status: number, headers?: HeadersInit): void;
  /**
   * Starts over, as a mock just made with the same options: drops every open stream (as `drop()`),
   * and forgets the connections (indexes count from 0 again), queued refusals, a pending reset,
   * pending `waitForConnection()` calls (they never settle), the `retry()` value, and the history:
   * `head` is `<epoch>-0` again and the next event is `<epoch>-1` (the epoch stays), so a resume
   * from an ID sent before is answered with `sse:reset` (`unknown-id`). For one mock shared by a
   * suite: call it after each test, once the test's clients are closed (an open client reconnects
   * into the next test).
   *
   * @example
   * ```ts
   * afterEach(() => stream.clear());
   * ```
   */
  clear(): void;
  /**
   * Resolves with connection `index` (from 0) once it arrived; without `index`, with the next
   * connection after this call.
   *
   * @param index - the connection's position, an integer from 0 (a `RangeError` otherwise)
   * @defaultValue the next one
   *
   * @example
   * ```ts
   * stream.drop();
   * const second = await stream.waitForConnection();
   * ```
   */
  waitForConnection(index?: number): Promise<MockConnection>;
}
