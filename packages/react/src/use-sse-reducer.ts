import type { ClientEvent, ResetInfo } from '@app/sse-client';
import type { EventCatalog, EventName } from '@app/sse-protocol';
import { useEffect, useRef, useState } from 'react';
import { type HooksContext, readContext, useLease } from './hooks-context';
import { useRenderedFor } from './rendered-for';

/**
 * One event as a reducer of `useSseReducer` receives it: `{ type, data, id }`, narrowed to the
 * names the hook was given.
 *
 * @typeParam C - the event catalog
 * @typeParam N - the names the reducer folds
 *
 * @example
 * ```ts
 * const reducer = (count: number, event: SseReducerEvent<typeof events, 'user:joined'>) => count + 1;
 * ```
 */
export type SseReducerEvent<C extends EventCatalog, N extends EventName<C>> = Extract<
  ClientEvent<C>,
  { type: N }
>;

/**
 * Options of `useSseReducer`.
 *
 * @typeParam S - the state
 *
 * @example
 * ```tsx
 * const options: SseReducerOptions<Todo[]> = { refetch: () => fetch('/api/todos').then((r) => r.json()) };
 * ```
 */
export interface SseReducerOptions<S> {
  /**
   * Called when the server could not replay what the client missed (`sse:reset`): the state those
   * events built is stale. Its result replaces the state; events that arrive while it runs are
   * queued and folded on top of it, in order, so none is lost (a reducer that upserts by key also
   * tolerates an event the fresh state already holds). While it runs, `refetching` is `true`; if
   * it rejects, the state is the initial state, `error` holds the reason and the queued events are
   * folded on top of the initial state. A refetch in flight survives the hook's `names` changing
   * (its result and the queued events are still folded); only a later reset supersedes it.
   *
   * It is also called when the component kept its state while its effects were removed (React 19's
   * `<Activity mode="hidden">`) and the client's `lastEventId` moved meanwhile: events went by
   * that the state never saw. `info` is then `{ reason: 'evicted', lastEventId }`, with the ID the
   * component had reached when it was hidden.
   * @defaultValue none: on a reset the state goes back to `init` (called again when a function)
   */
  refetch?: (info: ResetInfo) => Promise<S>;
}

/**
 * What `useSseReducer` returns.
 *
 * @typeParam S - the state
 *
 * @example
 * ```tsx
 * const { state, refetching, error }: SseReducerResult<number> = useSseReducer(['user:joined'], (n) => n + 1, 0);
 * ```
 */
export interface SseReducerResult<S> {
  /** The folded state. */
  readonly state: S;
  /** `true` while `refetch` runs after a reset. */
  readonly refetching: boolean;
  /** Why the last `refetch` failed, or `null`. */
  readonly error: unknown;
}

/**
 * The `useSseReducer` hook of one client; see {@link SseHooks.useSseReducer}.
 *
 * @typeParam C - the event catalog
 *
 * @example
 * ```tsx
 * const useReducer: UseSseReducer<typeof events> = hooks.useSseReducer;
 * ```
 */
export type UseSseReducer<C extends EventCatalog> = <N extends EventName<C>, S>(
  names: readonly N[],
  reducer: (state: S, event: SseReducerEvent<C, N>) => S,
  init: NoInfer<S> | (() => NoInfer<S>),
  options?: SseReducerOptions<NoInfer<S>>,
) => SseReducerResult<S>;

interface Folded<S> {
  state: S;
  refetching: boolean;
  error: unknown;
}

/**
 * The refetch bookkeeping of one `useSseReducer` call. It lives in a ref, not in one effect run, so
 * a refetch in flight survives the effect running again (new `names`, another client, StrictMode):
 * its result and the events queued meanwhile are still folded. Only a later reset supersedes it.
 */
interface Refetching<E> {
  /** Bumped by each reset: a refetch settles only while its generation is the current one. */
  generation: number;
  /** Events that arrived while a refetch runs, folded on top of its result; `null` when none runs. */
  queue: E[] | null;
}

/** Where the client's stream stood when the effect was last cleaned up. */
interface StoppedAt {
  readonly client: object;
  readonly lastEventId: string;
}

function initial<S>(init: S | (() => S)): S {
  return typeof init === 'function' ? (init as () => S)() : init;
}

/**
 * Makes the `useSseReducer` hook of one client.
 *
 * @param context - the client, its lease and stores
 */
export function makeUseSseReducer<C extends EventCatalog>(context: HooksContext<C>): UseSseReducer<C> {
  return function useSseReducer<N extends EventName<C>, S>(
    names: readonly N[],
    reducer: (state: S, event: SseReducerEvent<C, N>) => S,
    init: S | (() => S),
    options: SseReducerOptions<S> = {},
  ): SseReducerResult<S> {
    const { client, lease } = readContext(context);
    const [folded, setFolded] = useState<Folded<S>>(() => ({
      state: initial(init),
      refetching: false,
      error: null,
    }));
    // A new array literal on every render must not re-register the handlers: key on the names.
    const key = names.join('\u0000');
    const rendered = useRenderedFor(key, { reducer, init, refetch: options.refetch });
    const refetching = useRef<Refetching<SseReducerEvent<C, N>>>({ generation: 0, queue: null });
    const stoppedAt = useRef<StoppedAt | null>(null);

    useEffect(() => {
      const wanted = (key === '' ? [] : key.split('\u0000')) as N[];
      const pending = refetching.current;
      const fold = (state: S, events: readonly SseReducerEvent<C, N>[]) =>
        events.reduce((next, event) => rendered.current.value.reducer(next, event), state);

      const reset = (info: ResetInfo): void => {
        const { refetch, init: fresh } = rendered.current.value;
        pending.generation += 1;
        if (refetch === undefined) {
          pending.queue = null;
          setFolded({ state: initial(fresh), refetching: false, error: null });
          return;
        }
        const mine = pending.generation;
        const queued: SseReducerEvent<C, N>[] = [];
        pending.queue = queued;
        setFolded((previous) => ({ ...previous, refetching: true, error: null }));
        const settle = (state: S, error: unknown) => {
          // A later reset owns the state now.
          if (mine !== pending.generation) return;
          pending.queue = null;
          setFolded({ state: fold(state, queued), refetching: false, error });
        };
        Promise.resolve()
          .then(() => refetch(info))
          .then(
            (state) => settle(state, null),
            (error: unknown) =>
              settle(initial(rendered.current.value.init), error ?? new Error('refetch failed')),
          );
      };

      const offs = wanted.map((name) =>
        client.on(name, (data, meta) => {
          // Names changed and this registration is not yet replaced: the reducer rendered now is
          // for the new names, and this event is not one of them.
          if (rendered.current.key !== key) return;
          const event = { type: name, data, id: meta.id } as SseReducerEvent<C, N>;
          if (pending.queue !== null) pending.queue.push(event);
          // The updater runs with the state React holds then, so events arriving before a render
          // are all folded, in order.
          else
            setFolded((previous) => ({
              ...previous,
              state: rendered.current.value.reducer(previous.state, event),
            }));
        }),
      );
      const offReset = client.onReset(reset);

      // The effect was cleaned up while the component kept its state (React 19's
      // <Activity mode="hidden">) and the stream moved on meanwhile: events this state never saw
      // may have gone by, which is what a reset means. Within one commit (StrictMode, new names)
      // the stream cannot move, so this runs only after a real gap.
      const stopped = stoppedAt.current;
      stoppedAt.current = null;
      if (stopped !== null && stopped.client === client && client.lastEventId !== stopped.lastEventId) {
        reset({ reason: 'evicted', lastEventId: stopped.lastEventId });
      }

      return () => {
        for (const off of offs) off();
        offReset();
        stoppedAt.current = { client, lastEventId: client.lastEventId };
      };
    }, [client, key]);
    useLease(lease);
    return folded;
  };
}
