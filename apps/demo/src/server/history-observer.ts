import { createParser, type ParsedEvent } from '@app/sse-protocol';
import type { ReplayStore, StoredEvent } from '@app/sse-server';

/**
 * Wraps a replay store so that `onEvent` sees every event the history holds, once each, in the
 * history's one order: with a shared store (Redis), what every instance publishes, through the
 * store's live feed; with a store of one process (the in-memory one), each append as it is stored.
 * The demo folds these into the state `GET /api/state` serves, so a snapshot taken from any
 * instance covers every event up to its `lastEventId`, whichever instance published them.
 *
 * The events are the stored frames, decoded with the protocol's parser: the same bytes a client
 * receives.
 *
 * @param store - the store the emitter is given
 * @param onEvent - called with each stored event (`id`, `event` name and raw `data`)
 * @returns the store to pass to `createEmitter`
 * @example
 * ```ts
 * const store = observeHistory(createMemoryStore(), (event) => console.log(event.id, event.event));
 * const sse = createEmitter({ events, store });
 * ```
 */
export function observeHistory(store: ReplayStore, onEvent: (event: ParsedEvent) => void): ReplayStore {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent });
  const decode = (event: StoredEvent): void => parser.feed(decoder.decode(event.frame));
  const { subscribe } = store;
  if (subscribe) {
    return {
      ...bind(store),
      subscribe: (listener) =>
        subscribe.call(store, {
          onEvent(event) {
            decode(event);
            listener.onEvent(event);
          },
          onReset: () => listener.onReset(),
        }),
    };
  }
  return {
    ...bind(store),
    async append(request) {
      const event = await store.append(request);
      decode(event);
      return event;
    },
  };
}

/** The store's methods, bound to it (spreading an object of methods would lose their `this`). */
function bind(store: ReplayStore): ReplayStore {
  return {
    append: (request) => store.append(request),
    readAfter: (lastEventId) => store.readAfter(lastEventId),
    head: () => store.head(),
    ...(store.close ? { close: () => store.close?.() ?? Promise.resolve() } : {}),
  };
}
