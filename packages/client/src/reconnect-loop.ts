import type { EventCatalog, HelloData } from '@app/sse-protocol';
import { clampDelay } from '@app/sse-protocol';
import { backoffDelay } from './backoff';
import type { ClientSnapshot } from './client-api';
import type { Dispatch } from './dispatch';
import { type EnvironmentWatch, type VisibilitySource, watchEnvironment } from './environment';
import { SseClientError } from './errors';
import type { ResolvedOptions } from './options';
import { UNSENDABLE_IN_ID } from './request';
import type { SnapshotStore } from './snapshot-store';
import { setClampedTimeout } from './timer';
import type { ConnectionEnd, Transport, TransportSink } from './transport';
import { createWatchdog } from './watchdog';

/**
 * How long a connection must stay open before it counts as healthy: only then does the backoff
 * start again from its first step (`attempt` back to 0, `error` cleared). Events do not shorten
 * it: a server, or a proxy in front of it, that accepts, delivers one event (or a greeting, or a
 * replay) and drops would otherwise reset the backoff on every connection and pull every client
 * back at the shortest delay, a flood its own upstream cannot survive. A connection that drops
 * sooner, however many events it delivered, counts as a failed attempt: the next delay grows.
 *
 * @example
 * ```ts
 * // Once a stream has been open this long, the backoff starts again from its first step.
 * setTimeout(() => console.log(client.getSnapshot().attempt), HEALTHY_AFTER_MS); // 0
 * ```
 */
export const HEALTHY_AFTER_MS = 5000;
/**
 * The least backoff base a server's `retry:` can set, so repeated failures still back off.
 *
 * @example
 * ```ts
 * // After `retry: 0`, the first reconnection waits somewhere in [0, MIN_SERVER_RETRY_MS).
 * ```
 */
export const MIN_SERVER_RETRY_MS = 100;

/** What the connection calls. */
export interface ReconnectLoopHooks {
  /** Routes an event of the live connection; says whether it was delivered. */
  dispatch: Dispatch;
  /** An error to hand to `onError` listeners. */
  report(error: SseClientError): void;
  /** The client closed: quietly, or with the fatal error. */
  closed(error: SseClientError | undefined): void;
  /** Bytes arrived on the live connection (0 when the transport cannot tell). */
  received(bytes: number): void;
  /** A response was accepted: a stream is open. */
  opened(): void;
  /** A reconnection was scheduled: one backoff wait, of `delayMs`. */
  retrying(delayMs: number): void;
}

/** The connection state machine behind a client. */
export interface ReconnectLoop {
  /**
   * Opens the connection unless one is open, coming or awaited. With `resume` (a share group's
   * new leader), it carries on the stream's schedule: the failed attempts so far, and the retry
   * time it waited for, instead of starting over.
   */
  connect(resume?: Pick<ClientSnapshot, 'attempt' | 'retryAt'>): void;
  /** Closes everything; the client stays usable with `connect()`. */
  close(): void;
}

/**
 * Creates the connection state machine: opens connections through `transport`, reconnects with
 * jittered exponential backoff, resumes from the last event ID, watches for silent connections,
 * waits while offline or hidden.
 *
 * @param options - the resolved client options
 * @param store - the snapshot store (state, last event ID, retry time, ...)
 * @param transport - opens one connection
 * @param hooks - where events, errors and the end go
 * @param visibility - what `pauseWhenHidden` watches instead of the page (a share group's leader)
 */
export function createReconnectLoop<C extends EventCatalog>(
  options: ResolvedOptions<C>,
  store: SnapshotStore,
  transport: Transport,
  hooks: ReconnectLoopHooks,
  visibility?: VisibilitySource,
): ReconnectLoop {
  let generation = 0; // bumped whenever the current connection is dropped: stale callbacks see it
  let abort: (() => void) | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let healthyTimer: ReturnType<typeof setTimeout> | undefined;
  let environment: EnvironmentWatch | undefined;
  let attempt = 0;
  let healthy = false;
  let serverRetryMs: number | undefined;
  let resumeAt = 0; // the retry time that hiding the page interrupted (epoch ms), 0 when none
  let connectionId: string | undefined; // the ID of the previous event on this connection
  const ignoredIdsReported = new Set<string>(); // `oversized-id`, `invalid-id`: on this connection
  const watchdog = createWatchdog(onSilence);

  function setLastEventId(id: string): void {
    if (store.get().lastEventId !== id) store.set({ lastEventId: id });
  }

  function markHealthy(): void {
    if (healthy) return;
    healthy = true;
    if (healthyTimer !== undefined) clearTimeout(healthyTimer);
    healthyTimer = undefined;
    attempt = 0;
    store.set({ attempt: 0, error: null });
  }

  function dropConnection(): void {
    generation++;
    const current = abort;
    abort = undefined;
    watchdog.stop();
    if (healthyTimer !== undefined) clearTimeout(healthyTimer);
    healthyTimer = undefined;
    current?.();
  }

  function clearRetryTimer(): void {
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  function currentWaitState(): 'connecting' | 'reconnecting' {
    return store.get().state === 'connecting' ? 'connecting' : 'reconnecting';
  }

  function sinkFor(id: number): TransportSink {
    const live = () => id === generation;
    return {
      open() {
        if (!live()) return;
        hooks.opened();
        store.set({ state: 'open' });
        if (live() && !healthy) healthyTimer = setClampedTimeout(markHealthy, HEALTHY_AFTER_MS);
      },
      activity(bytes) {
        if (!live()) return;
        watchdog.touch();
        hooks.received(bytes);
      },
      event(event) {
        if (!live()) return;
        let eventId = event.id;
        if (eventId !== undefined && !keepableId(eventId)) {
          // An `onError` listener may have closed the client.
          if (!ignoreId(eventId, event.event)) return;
          eventId = undefined;
        }
        const ownId = eventId !== undefined && eventId !== connectionId;
        if (eventId !== undefined) {
          connectionId = eventId;
          // Spec: the last event ID is set before the event is dispatched.
          setLastEventId(eventId);
        }
        // A snapshot listener may have closed the client meanwhile. The ID is read from the event,
        // not the store: store.get() would build a snapshot object per event.
        if (!live()) return;
        const id = eventId ?? store.get().lastEventId;
        const hello = hooks.dispatch({ event: event.event, data: event.data, id, ownId });
        if (hello !== undefined) greeted(hello);
      },
      lastEventId(lastEventId) {
        if (!live()) return;
        if (!keepableId(lastEventId)) ignoreId(lastEventId, undefined);
        else {
          // The events after it inherit this ID without an `id:` field of their own: they must not
          // pass for events carrying it (and be dropped as duplicates of the one that did).
          connectionId = lastEventId;
          setLastEventId(lastEventId);
        }
      },
      retry(ms) {
        if (live()) serverRetryMs = ms;
      },
      parseError(error) {
        if (!live()) return;
        hooks.report(new SseClientError('parse', error.reason, { cause: error }));
      },
      end(outcome) {
        if (live()) ended(outcome);
      },
    };
  }

  /** Whether an `id:` field can be kept: within `maxEventIdLength`, and sendable as a header. */
  function keepableId(eventId: string): boolean {
    return eventId.length <= options.maxEventIdLength && !UNSENDABLE_IN_ID.test(eventId);
  }

  /**
   * An `id:` field the client cannot keep is ignored, as the WHATWG processing model ignores one
   * holding NUL ("If the field value does not contain U+0000 NULL, then set the last event ID
   * buffer"): the last event ID keeps its value and the event is dispatched with it, like an event
   * without an `id:` field. Two kinds:
   * - longer than `maxEventIdLength` (`oversized-id`): a hostile server's huge IDs are never kept
   *   to resume, echoed as `Last-Event-ID`, nor stored for dropping duplicates;
   * - holding a control character other than tab (`invalid-id`): no HTTP client can send it back
   *   (Node's fetch fails every request with it), so keeping it would stop every reconnection.
   * Reported once per connection and kind: a server that sends such IDs usually sends them on
   * every event, and each new connection (perhaps to another instance) is news again.
   *
   * @returns whether the connection is still the live one (an `onError` listener may close it)
   */
  function ignoreId(eventId: string, event: string | undefined): boolean {
    const oversized = eventId.length > options.maxEventIdLength;
    const code = oversized ? 'oversized-id' : 'invalid-id';
    if (ignoredIdsReported.has(code)) return true;
    ignoredIdsReported.add(code);
    const id = generation;
    const what = oversized
      ? `of ${eventId.length} characters, over maxEventIdLength (${options.maxEventIdLength})`
      : 'with a control character, which cannot be sent back as Last-Event-ID';
    hooks.report(
      new SseClientError(
        code,
        `the server sent an event ID ${what}: such IDs are ignored on this connection (events still arrive; resuming and duplicate detection use the last ID before them)`,
        event === undefined ? {} : { event },
      ),
    );
    return id === generation;
  }

  function open(state: 'connecting' | 'reconnecting'): void {
    clearRetryTimer();
    dropConnection();
    const id = generation;
    const paused = environment?.offline()
      ? 'offline'
      : options.pauseWhenHidden && environment?.hidden()
        ? 'hidden'
        : null;
    store.set({ state, retryAt: null, paused });
    // A state listener may have closed the client; while paused, `online` or `visibilitychange` resumes.
    if (id !== generation || paused !== null) return;
    healthy = false;
    connectionId = undefined;
    ignoredIdsReported.clear();
    abort = transport(
      {
        url: options.url,
        baseUrl: options.baseUrl,
        headers: options.headers,
        method: options.method,
        body: options.body,
        credentials: options.credentials,
        fetch: options.fetch,
        EventSource: options.EventSource,
        lastEventId: store.get().lastEventId,
        maxBufferSize: options.maxBufferSize,
      },
      sinkFor(id),
    );
  }

  /** Reports `error`; says whether the client is still on the same course (no listener closed or reconnected it). */
  function reportAndContinue(error: SseClientError): boolean {
    const id = generation;
    hooks.report(error);
    return id === generation && store.get().state !== 'closed';
  }

  /** Closes for a fatal error, then reports it, so an `onError` listener may call `connect()` again. */
  function fail(error: SseClientError): void {
    shutdown(error);
    hooks.report(error);
  }

  function ended(outcome: ConnectionEnd): void {
    dropConnection();
    if (outcome.kind === 'no-content') shutdown(undefined);
    else if (outcome.kind === 'ended') scheduleRetry(undefined, undefined);
    else if (!outcome.retryable) fail(outcome.error);
    else if (reportAndContinue(outcome.error)) scheduleRetry(outcome.error, outcome.retryAfterMs);
  }

  function scheduleRetry(error: SseClientError | undefined, retryAfterMs: number | undefined): void {
    if (attempt >= options.maxRetries) {
      const exhausted = new SseClientError(
        'retries-exhausted',
        `gave up after ${attempt} failed reconnection attempt${attempt === 1 ? '' : 's'} (maxRetries)${error === undefined ? '' : `; last error: ${error.message}`}`,
        { cause: error, fatal: true },
      );
      fail(exhausted);
      return;
    }
    const base =
      serverRetryMs === undefined ? options.backoff.initialMs : Math.max(serverRetryMs, MIN_SERVER_RETRY_MS);
    // The server's `retry:` and Retry-After are floors. WHATWG HTML, "Server-sent events",
    // reestablishing the connection: "Wait a delay equal to the reconnection time of the event
    // source", then "Optionally, wait some more". So the jittered backoff goes on top of the
    // floor, never under it (and `maxMs` caps the backoff, not what the server asked for): clients
    // told the same time do not all come back in the same instant. Clamped here too (not only by
    // the timer) so that `retryAt` tells the time the attempt really starts.
    const delay = clampDelay(
      Math.max(serverRetryMs ?? 0, retryAfterMs ?? 0) +
        backoffDelay(attempt, base, options.backoff, options.random),
    );
    attempt++;
    hooks.retrying(delay);
    waitUntil(Date.now() + delay, { attempt, error: error ?? null });
  }

  /** Waits in `reconnecting` until `at` (epoch ms), then opens the next connection. */
  function waitUntil(at: number, patch: Partial<ClientSnapshot> = {}): void {
    clearRetryTimer();
    const id = generation;
    store.set({ ...patch, state: 'reconnecting', retryAt: at, paused: null });
    // A state listener may have closed the client or reconnected it.
    if (id !== generation || store.get().state !== 'reconnecting') return;
    retryTimer = setClampedTimeout(() => open('reconnecting'), at - Date.now());
  }

  function onSilence(): void {
    dropConnection();
    const error = new SseClientError(
      'watchdog',
      `nothing arrived for ${options.watchdog} of the server's heartbeat intervals; reconnecting from ${JSON.stringify(store.get().lastEventId)}`,
    );
    if (reportAndContinue(error)) scheduleRetry(error, undefined);
  }

  function onOnline(): void {
    const { state, paused } = store.get();
    // Waiting (paused offline or for the retry timer): go now. An attempt in flight carries on,
    // and a hidden page waits to be shown.
    if (state === 'closed' || state === 'open' || abort !== undefined || paused === 'hidden') return;
    // Coming online ends a wait caused by the network. A wait after the server answered (a 5xx,
    // with or without Retry-After) is the server's: the pending timer keeps it.
    if (retryTimer !== undefined && store.get().error?.status !== undefined) return;
    open(currentWaitState());
  }

  function onVisibilityChange(hidden: boolean): void {
    const { state, paused, retryAt } = store.get();
    if (state === 'closed') return;
    if (hidden) {
      if (paused === 'hidden') return;
      // Showing the page again resumes a pending wait (backoff or Retry-After), never cuts it short.
      resumeAt = retryTimer === undefined ? 0 : (retryAt ?? 0);
      const waitState = currentWaitState();
      dropConnection();
      clearRetryTimer();
      store.set({ state: waitState, retryAt: null, paused: 'hidden' });
    } else if (paused === 'hidden') {
      const at = resumeAt;
      resumeAt = 0;
      if (at > Date.now()) waitUntil(at);
      else open(currentWaitState());
    }
  }

  /** The server's `sse:hello` arrived on the live connection: its client ID, and the watchdog. */
  function greeted(hello: HelloData): void {
    store.set({ clientId: hello.clientId });
    if (abort !== undefined && options.watchdog > 0 && hello.heartbeatMs > 0) {
      watchdog.start(hello.heartbeatMs * options.watchdog, hello.heartbeatMs);
    }
  }

  function shutdown(error: SseClientError | undefined): void {
    dropConnection();
    clearRetryTimer();
    environment?.stop();
    environment = undefined;
    // The streams end first: a state listener that reconnects at once (and opens a new stream())
    // must not see its new stream ended by the close it reacted to.
    hooks.closed(error);
    store.set({ state: 'closed', retryAt: null, paused: null, error: error ?? null });
  }

  return {
    connect(resume) {
      if (store.get().state !== 'closed') return;
      attempt = resume?.attempt ?? 0;
      resumeAt = 0;
      if (resume === undefined) store.set({ attempt: 0, error: null });
      environment = watchEnvironment(
        { onOnline, onVisibilityChange: options.pauseWhenHidden ? onVisibilityChange : undefined },
        visibility,
      );
      const at = resume?.retryAt ?? 0;
      if (at > Date.now()) waitUntil(at);
      else open('connecting');
    },
    close() {
      shutdown(undefined);
    },
  };
}
