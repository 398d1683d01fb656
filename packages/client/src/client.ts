import { type EventCatalog, type EventName, HELLO_EVENT, RESET_EVENT } from '@app/sse-protocol';
import type { ClientEvent, ClientMetrics, EventHandler, EventMeta, ResetInfo, SseClient } from './client-api';
import { deferLoop } from './deferred-loop';
import { createDispatcher } from './dispatch';
import { messageOf, SseClientError } from './errors';
import { createEventStream, DEFAULT_STREAM_BUFFER, type StreamSink } from './event-stream';
import { createFetchTransport } from './fetch-transport';
import { createListeners, type Listeners } from './listeners';
import { transportOnDemand } from './on-demand-transport';
import { type ClientOptions, resolveOptions } from './options';
import { createReconnectLoop, type ReconnectLoopHooks } from './reconnect-loop';
import { resolveOption, withLastEventIdQuery } from './request';
import { statusEnd } from './response-check';
import { canShare } from './share-group';
import { closedSnapshot, createSnapshotStore } from './snapshot-store';

interface HandlerSet {
  listeners: Listeners<unknown, EventMeta>;
  onThrow: (error: unknown) => void;
}

/** An error thrown by an `onError` listener has nowhere else to go: hand it to the runtime. */
function surface(error: unknown): void {
  const reportError = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof reportError === 'function') reportError(error);
  else console.error(error);
}

/**
 * Creates a reconnecting, typed Server-Sent Events client.
 *
 * It connects at once (unless `autoConnect: false`), reconnects with jittered exponential
 * backoff, resumes from the last event ID, validates every payload against the catalog and
 * delivers each event to its handlers once.
 *
 * @param options - see {@link ClientOptions}; `url` and `events` are required
 * @returns the client
 * @throws {@link SseClientError} `invalid-option` at once for invalid options
 *
 * @example
 * ```ts
 * import { createClient } from '@app/sse-client';
 * import { events } from './events';
 *
 * const client = createClient({ url: '/events', events });
 * client.on('user:joined', (data, meta) => console.log(data.name, meta.id));
 * client.onReset(() => refetchEverything());
 * client.onError((error) => console.warn(error.code, error.message));
 * ```
 */
export function createClient<C extends EventCatalog>(options: ClientOptions<C>): SseClient<C> {
  const resolved = resolveOptions(options);
  const { events } = resolved;
  const errorListeners = createListeners<SseClientError>();
  const resetListeners = createListeners<ResetInfo>();
  const handlers = new Map<string, HandlerSet>();
  const streams = new Set<StreamSink<ClientEvent<C>>>();
  let closes = 0; // close() calls so far: a handler that closes the client stops the event

  const counters: { -readonly [K in keyof ClientMetrics]: number } = {
    connections: 0,
    reconnects: 0,
    events: 0,
    resets: 0,
    duplicates: 0,
    invalidEvents: 0,
    skippedEvents: 0,
    bytes: 0,
    backoffMs: 0,
  };
  const { onMetric } = options;

  function count(name: keyof ClientMetrics, by = 1): void {
    counters[name] += by;
    if (onMetric === undefined) return;
    try {
      onMetric(name, by);
    } catch (cause) {
      handlerThrew(undefined, 'onMetric')(cause);
    }
  }

  function report(error: SseClientError): void {
    if (error.code === 'validation-failed' || error.code === 'invalid-json') count('invalidEvents');
    errorListeners.emit(error, undefined, surface);
  }

  function handlerThrew(event: string | undefined, role: string): (cause: unknown) => void {
    return (cause) =>
      report(
        new SseClientError('handler-threw', `${role} threw: ${messageOf(cause)}`, {
          cause,
          ...(event === undefined ? {} : { event }),
        }),
      );
  }

  const onResetThrow = handlerThrew(RESET_EVENT, 'an onReset listener');
  const store = createSnapshotStore(
    closedSnapshot(resolved.lastEventId),
    handlerThrew(undefined, 'a state or snapshot listener'),
  );

  const dispatch = createDispatcher(
    events,
    resolved.validate,
    {
      report,
      skipped: () => count('skippedEvents'),
      duplicate: () => count('duplicates'),
      reset: (info) => {
        count('resets');
        resetListeners.emit(info, undefined, onResetThrow);
      },
      deliver(name, data, meta) {
        count('events');
        const set = handlers.get(name);
        if (set !== undefined) {
          // A handler that closes the client stops the event there: no further handler runs.
          const at = closes;
          set.listeners.emit(data, meta, set.onThrow, () => closes !== at);
          if (closes !== at) return;
        }
        if (streams.size === 0) return;
        const value = { type: name, data, id: meta.id } as ClientEvent<C>;
        for (const sink of streams) sink.push(value);
      },
    },
    resolved.lastEventId,
    resolved.maxEventIdLength,
  );

  const transport =
    resolved.transport === 'fetch'
      ? createFetchTransport()
      : transportOnDemand(() =>
          import('./eventsource-transport').then((eventSource) =>
            eventSource.createEventSourceTransport(
              [...new Set([...events.names, HELLO_EVENT, RESET_EVENT, 'message'])],
              { SseClientError, messageOf, statusEnd, resolveOption, withLastEventIdQuery },
            ),
          ),
        );

  const hooks: ReconnectLoopHooks = {
    dispatch,
    report,
    closed(error) {
      for (const sink of [...streams]) sink.end(error);
    },
    received: (bytes) => count('bytes', bytes),
    opened: () => count('connections'),
    retrying: (delayMs) => {
      count('reconnects');
      count('backoffMs', delayMs);
    },
  };
  const loop =
    resolved.share === undefined || !canShare()
      ? createReconnectLoop(resolved, store, transport, hooks)
      : deferLoop(
          () =>
            import('./shared-loop').then((shared) =>
              shared.createSharedLoop(resolved, store, transport, hooks, {
                createReconnectLoop,
                createSnapshotStore,
                SseClientError,
                resetEvent: RESET_EVENT,
              }),
            ),
          () => createReconnectLoop(resolved, store, transport, hooks),
          store,
          () => hooks.closed(undefined),
        );

  function addHandler<N extends EventName<C>>(
    event: N,
    handler: EventHandler<C, N>,
    once: boolean,
  ): () => void {
    if (typeof event !== 'string' || !events.has(event)) {
      throw new SseClientError(
        'invalid-option',
        `the catalog has no event ${JSON.stringify(event)}; it defines ${events.names.map((name) => JSON.stringify(name)).join(', ')}`,
      );
    }
    if (typeof handler !== 'function')
      throw new SseClientError('invalid-option', 'an event handler must be a function');
    let set = handlers.get(event);
    if (set === undefined) {
      set = {
        listeners: createListeners<unknown, EventMeta>(),
        onThrow: handlerThrew(event, `a handler of ${JSON.stringify(event)}`),
      };
      handlers.set(event, set);
    }
    return set.listeners.add(handler as (data: unknown, meta: EventMeta) => unknown, once);
  }

  function addListener<T>(
    listeners: Listeners<T>,
    listener: (value: T) => unknown,
    name: string,
  ): () => void {
    if (typeof listener !== 'function')
      throw new SseClientError('invalid-option', `${name} takes a function`);
    return listeners.add(listener);
  }

  const client: SseClient<C> = {
    on: (event, handler) => addHandler(event, handler, false),
    once: (event, handler) => addHandler(event, handler, true),
    onState: (listener) => {
      if (typeof listener !== 'function')
        throw new SseClientError('invalid-option', 'onState() takes a function');
      return store.onState(listener);
    },
    onError: (listener) => addListener(errorListeners, listener, 'onError()'),
    onReset: (listener) => addListener(resetListeners, listener, 'onReset()'),
    stream(streamOptions = {}) {
      const { signal, maxBuffered = DEFAULT_STREAM_BUFFER } = streamOptions;
      if (!(maxBuffered === Number.POSITIVE_INFINITY || (Number.isInteger(maxBuffered) && maxBuffered > 0))) {
        throw new SseClientError(
          'invalid-option',
          `stream() maxBuffered must be a positive integer or Infinity, got ${String(maxBuffered)}`,
        );
      }
      // `onDone` may run inside createEventStream (an already aborted signal): no reference to
      // the sink before it exists.
      let added: StreamSink<ClientEvent<C>> | undefined;
      const { sink, iterator } = createEventStream<ClientEvent<C>>(
        () => {
          if (added !== undefined) streams.delete(added);
        },
        signal,
        maxBuffered,
      );
      if (signal?.aborted !== true) {
        added = sink;
        streams.add(sink);
      }
      return iterator;
    },
    subscribe: (listener) => {
      if (typeof listener !== 'function')
        throw new SseClientError('invalid-option', 'subscribe() takes a function');
      return store.subscribe(listener);
    },
    getSnapshot: () => store.get(),
    get lastEventId() {
      return store.get().lastEventId;
    },
    get state() {
      return store.get().state;
    },
    get skippedEvents() {
      return counters.skippedEvents;
    },
    metrics: () => ({ ...counters }),
    connect: () => loop.connect(),
    close: () => {
      closes++;
      loop.close();
    },
  };

  if (resolved.autoConnect) loop.connect();
  return client;
}
