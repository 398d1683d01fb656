import type { SseClient } from '@app/sse-client';
import type { EventCatalog, EventData, EventName } from '@app/sse-protocol';

/**
 * The last payload of one event type, with its ID.
 *
 * @typeParam C - the event catalog
 * @typeParam N - the event name
 *
 * @example
 * ```tsx
 * const latest: LatestEvent<typeof events, 'notification'> | undefined = useSseLatest('notification');
 * ```
 */
export interface LatestEvent<C extends EventCatalog, N extends EventName<C>> {
  /** The event's parsed data. */
  readonly data: EventData<C, N>;
  /** The event's ID (the stream's last event ID when it arrived). */
  readonly id: string;
}

/** The last event of each type that a `useSseLatest` asked for, shared by every component. */
export interface LatestStore<C extends EventCatalog> {
  subscribe(name: EventName<C>, listener: () => void): () => void;
  get<N extends EventName<C>>(name: N): LatestEvent<C, N> | undefined;
}

interface Slot {
  value: unknown;
  readonly listeners: Set<() => void>;
}

/** One store per client, shared by every hook set made for it. */
const stores = new WeakMap<object, LatestStore<EventCatalog>>();

/**
 * The store of `client`, made on first use: every hook set of one client reads the same store, so
 * `useSseLatest` shows the same last payload whichever set a component uses.
 *
 * @param client - the client
 */
export function latestStoreOf<C extends EventCatalog>(client: SseClient<C>): LatestStore<C> {
  let store = stores.get(client) as LatestStore<C> | undefined;
  if (store === undefined) {
    store = createLatestStore(client);
    stores.set(client, store as unknown as LatestStore<EventCatalog>);
  }
  return store;
}

/**
 * Creates the store. A type's handler is registered with the client the first time a component
 * asks for it and stays registered, so a component that mounts later (or remounts) still sees the
 * last payload instead of nothing.
 *
 * @param client - the client
 */
export function createLatestStore<C extends EventCatalog>(client: SseClient<C>): LatestStore<C> {
  const slots = new Map<string, Slot>();

  function slot(name: EventName<C>): Slot {
    let found = slots.get(name);
    if (found === undefined) {
      const created: Slot = { value: undefined, listeners: new Set() };
      slots.set(name, created);
      client.on(name, (data, meta) => {
        created.value = Object.freeze({ data, id: meta.id });
        for (const listener of [...created.listeners]) listener();
      });
      found = created;
    }
    return found;
  }

  return {
    subscribe(name, listener) {
      const { listeners } = slot(name);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get(name) {
      return slots.get(name)?.value as LatestEvent<C, typeof name> | undefined;
    },
  };
}
