import type { EventCatalog } from '@app/sse-protocol';
import type { RoutedEvent } from './dispatch';
import type { SseClientError } from './errors';
import { createGroupVisibility, type GroupVisibility } from './group-visibility';
import {
  type ChannelLike,
  type Election,
  runtimeShareEnvironment,
  type ShareEnvironment,
} from './leader-election';
import type { ResolvedOptions } from './options';
import type { createReconnectLoop, ReconnectLoop, ReconnectLoopHooks } from './reconnect-loop';
import { shareGroupName } from './share-group-name';
import {
  type SharedError,
  type SharedSnapshot,
  type ShareMessage,
  sharedSnapshot,
  toShared,
} from './share-messages';
import { createSharedHistory } from './shared-history';
import type { createSnapshotStore, SnapshotStore } from './snapshot-store';
import type { Transport } from './transport';

export type { ShareEnvironment } from './leader-election';

/**
 * What the shared loop uses of the client's main code, handed over rather than imported: the
 * sharing code is a chunk loaded on demand, and a static import of these would move them into a
 * third chunk that every app, sharing or not, loads up front.
 */
export interface SharedLoopParts {
  createReconnectLoop: typeof createReconnectLoop;
  createSnapshotStore: typeof createSnapshotStore;
  SseClientError: typeof SseClientError;
  /** The protocol's `sse:reset` event name. */
  resetEvent: string;
}

/**
 * Creates the connection of a client whose stream is shared with the other tabs of its group
 * (the `share` option). The tabs elect a leader, which runs the ordinary reconnect loop and
 * posts what happens on its connection (snapshot changes, each event as parsed, connection
 * errors) on the group's `BroadcastChannel`. Every tab, leader included, routes each event
 * through its own dispatcher: its own validation, duplicate detection and handlers, as if it held
 * the stream. Followers mirror the leader's snapshot, so `state` and `lastEventId` agree.
 *
 * Handover: a new leader resumes from its own last event ID. Nothing is lost or doubled: a
 * follower takes the last event ID only from the events it holds (never from the snapshot the
 * leader posts just before each event), so no tab's ID is past an event it lacks; the server
 * replays what follows the new leader's ID; and each tab drops by ID what it already had. A
 * `BroadcastChannel` message is queued for every other tab at once (HTML, "Broadcasting to other
 * browsing contexts", `postMessage()` steps), so the tabs hold the same prefix of the old leader's
 * messages. The leader ignores messages of other leaders (a heartbeat election may briefly run
 * two, and an old leader's last messages may arrive after the lock): its resume point covers them.
 *
 * @param options - the resolved client options (with `share`)
 * @param store - the tab's snapshot store
 * @param transport - opens the leader's connections
 * @param hooks - the tab's dispatcher, error reporting and counters
 * @param parts - the client's own code the loop builds on
 * @param environment - channels and election
 */
export function createSharedLoop<C extends EventCatalog>(
  options: ResolvedOptions<C>,
  store: SnapshotStore,
  transport: Transport,
  hooks: ReconnectLoopHooks,
  parts: SharedLoopParts,
  environment: ShareEnvironment = runtimeShareEnvironment(),
): ReconnectLoop {
  const { createReconnectLoop, createSnapshotStore, SseClientError, resetEvent } = parts;
  const group = shareGroupName(options, options.share?.key ?? null);
  const fromShared = ({ code, reason, status, fatal }: SharedError): SseClientError =>
    new SseClientError(code, reason, { ...(status === undefined ? {} : { status }), fatal });
  const tab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  let history = createSharedHistory(options.lastEventId);
  let channel: ChannelLike | undefined;
  let election: Election | undefined;
  let leader: { loop: ReconnectLoop; stepping: boolean } | undefined;
  // A joining tab holds what it hears until the welcome's catch-up, to keep the stream's order.
  let waiting: RoutedEvent[] | undefined;
  let joinedFrom = ''; // the last event ID this tab joined with
  // Its joins, numbered: it takes only the answer to its latest (a new leader may answer old ones).
  let joins = 0;
  // Leading: the IDs of the old leader's events heard since, which this stream has not reached.
  const aheadIds = new Set<string>();
  // Following a leader behind this tab: the events of its stream are skipped up to this ID.
  let skipUntil: string | undefined;
  // The leader's last event ID from its latest snapshot, until this tab holds the event it belongs
  // to. The leader posts the ID (its snapshot changes first: the spec sets the last event ID before
  // dispatching) and then the event; a leader that dies between the two posts must not leave this
  // tab believing it has the event, or the next leader would resume past it and lose it.
  let unconfirmedId: string | undefined;
  // A frozen or cached page leaves the group, and joins again (catching up) when it runs again.
  let suspended = false;
  let unwatch = () => {};
  let visibility: GroupVisibility | undefined; // with `pauseWhenHidden`: hidden when every tab is

  function post(message: ShareMessage): void {
    channel?.postMessage(message);
  }

  function apply(snapshot: Omit<SharedSnapshot, 'lastEventId'> & { lastEventId?: string }): void {
    const { error } = snapshot;
    store.set({ ...snapshot, error: error === null ? null : fromShared(error) });
  }

  function dispatch(event: RoutedEvent): ReturnType<ReconnectLoopHooks['dispatch']> {
    history.record(event);
    return hooks.dispatch(event);
  }

  function closeTab(error: SseClientError | undefined): void {
    unwatch();
    unwatch = () => {};
    suspended = false;
    leave();
    visibility?.stop();
    visibility = undefined;
    hooks.closed(error);
    store.set({ state: 'closed', retryAt: null, paused: null, error: error ?? null, role: null });
  }

  function lead(): void {
    if (channel === undefined || leader !== undefined) return;
    // Its own stream resumes from its last event ID: what it held for the old leader is not needed.
    waiting = undefined;
    unconfirmedId = undefined;
    skipUntil = undefined;
    aheadIds.clear();
    // A tab that saw the group's stream reconnects it; a tab that just joined connects.
    const takeover = store.get().state !== 'connecting';
    store.set({ role: 'leader' });
    const own = createSnapshotStore(
      { ...store.get(), state: 'closed', retryAt: null, paused: null },
      (error) =>
        queueMicrotask(() => {
          throw error;
        }),
    );
    const current = { loop: undefined as unknown as ReconnectLoop, stepping: false };
    own.subscribe(() => {
      const snapshot = own.get();
      // Closing to hand over, or closing for good (`closed` below does it): not the stream's state.
      if (current.stepping || snapshot.state === 'closed') return;
      const state = takeover && snapshot.state === 'connecting' ? 'reconnecting' : snapshot.state;
      store.set({ ...snapshot, state, role: 'leader' });
      post({ kind: 'snapshot', snapshot: sharedSnapshot(store.get()) });
    });
    const relay: ReconnectLoopHooks = {
      dispatch(event) {
        aheadIds.delete(event.id);
        post({ kind: 'event', event });
        return dispatch(event);
      },
      report(error) {
        post({ kind: 'report', error: toShared(error) });
        hooks.report(error);
      },
      closed(error) {
        if (current.stepping) return;
        // The loop closed itself for good; it needs no close() from leave().
        current.stepping = true;
        leader = undefined;
        post({ kind: 'closed', error: error === undefined ? null : toShared(error) });
        closeTab(error);
      },
      received(bytes) {
        post({ kind: 'count', hook: 'received', value: bytes });
        hooks.received(bytes);
      },
      opened() {
        post({ kind: 'count', hook: 'opened', value: 1 });
        hooks.opened();
      },
      retrying(delayMs) {
        post({ kind: 'count', hook: 'retrying', value: delayMs });
        hooks.retrying(delayMs);
      },
    };
    // The stream serves every tab of the group: it pauses when every tab is hidden, not this one.
    current.loop = createReconnectLoop(options, own, transport, relay, visibility);
    leader = current;
    post({ kind: 'lead', lastEventId: store.get().lastEventId });
    // A takeover carries on the group's schedule: its failed attempts (so `maxRetries` and the
    // backoff's growth hold across leaders) and the retry time it waits for (a `Retry-After`).
    current.loop.connect(takeover ? store.get() : undefined);
  }

  /** Stops leading (another tab leads, or this tab leaves). */
  function stepDown(): void {
    const current = leader;
    leader = undefined;
    if (current === undefined) return;
    current.stepping = true;
    current.loop.close();
    store.set({ role: 'follower' });
  }

  /** Another tab leads: one that stole the lock (this page hung) catches this tab up. */
  function follow(stolen?: boolean): void {
    stepDown();
    if (stolen === true && channel !== undefined) join();
  }

  function leave(): void {
    // A tab that left, or whose page stopped, needs the stream no more than a hidden one (said
    // even without `pauseWhenHidden`: such a tab counts as visible while it is in the group).
    post({ kind: 'visibility', tab, hidden: true });
    stepDown();
    waiting = undefined;
    election?.leave();
    election = undefined;
    if (channel !== undefined) channel.onmessage = null;
    channel?.close();
    channel = undefined;
  }

  function join(): void {
    waiting = [];
    joinedFrom = store.get().lastEventId;
    joins++;
    post({ kind: 'join', tab, seq: joins, lastEventId: joinedFrom, hidden: visibility?.ownHidden() });
  }

  /** The leader's welcome: its snapshot, then what this tab missed, then what it held meanwhile. */
  function welcomed(message: Extract<ShareMessage, { kind: 'welcome' }>): void {
    const held = waiting ?? [];
    waiting = undefined;
    unconfirmedId = undefined;
    for (const visibleTab of message.visible) visibility?.heard(visibleTab, false);
    // A leader behind this tab: its ID and history stay, and the events up to its ID are skipped.
    skipUntil = message.behind ? joinedFrom : undefined;
    if (message.behind) {
      const { lastEventId: _behind, ...stream } = message.snapshot;
      apply(stream);
      for (const event of held) if (!behindThisTab(event)) dispatch(event);
      return;
    }
    apply(message.snapshot);
    const { events } = message;
    // Joined with no ID, or not caught up: the tab holds the stream from the leader's ID, and its
    // history follows that ID (to serve a tab that rejoins from there when this one leads).
    if (events === null || joinedFrom === '') history = createSharedHistory(message.snapshot.lastEventId);
    if (events === null) {
      // The leader's history has not this tab's ID: say so as the server would, with a reset
      // (the handlers reload their state). It is this tab's alone: not kept in the history.
      const reason = message.trimmed ? 'evicted' : 'unknown-id';
      hooks.dispatch({
        event: resetEvent,
        data: JSON.stringify({ reason, lastEventId: joinedFrom }),
        id: '',
        ownId: false,
      });
    }
    for (const event of events ?? []) dispatch(event);
    for (const event of held) dispatch(event);
  }

  /**
   * Whether an event of a leader behind this tab comes before this tab's place (skipped). The
   * server's reset ends the skipping: the stream lost the place this tab waits for.
   */
  function behindThisTab(event: RoutedEvent): boolean {
    if (skipUntil === undefined) return false;
    const reset = event.event === resetEvent;
    if (reset || event.id === skipUntil) skipUntil = undefined;
    return !reset;
  }

  /**
   * The leader went on to something other than an event after changing its last event ID: the ID
   * came without an event (an `id:` field alone), and this tab holds all there is up to it.
   */
  function confirmId(): void {
    if (unconfirmedId === undefined) return;
    const id = unconfirmedId;
    unconfirmedId = undefined;
    store.set({ lastEventId: id });
  }

  function lacks(from: string): boolean {
    const own = store.get().lastEventId;
    return from !== own && (from === '' || history.after(from) === undefined);
  }

  function welcome({ tab: to, seq, lastEventId }: Extract<ShareMessage, { kind: 'join' }>): void {
    const behind = aheadIds.has(lastEventId);
    const events =
      lastEventId === store.get().lastEventId || behind ? [] : (history.after(lastEventId) ?? null);
    const visible = visibility?.visibleTabs() ?? [];
    if (visibility?.ownHidden() === false) visible.push(tab);
    const snapshot = sharedSnapshot(store.get());
    post({ kind: 'welcome', to, seq, behind, snapshot, events, trimmed: history.trimmed, visible });
  }

  function onMessage(message: ShareMessage): void {
    // Every tab keeps track of which tabs are visible: a new leader knows it from the start.
    if (message.kind === 'join' || message.kind === 'visibility') {
      visibility?.heard(message.tab, message.hidden ?? false);
    }
    if (leader !== undefined) {
      if (message.kind === 'join') welcome(message);
      // Another leader's events this stream lacks (heard late): a tab joining from one is ahead.
      else if (message.kind === 'event' && aheadIds.size < 4096 && !history.after(message.event.id)) {
        aheadIds.add(message.event.id);
      }
      return;
    }
    switch (message.kind) {
      case 'lead':
        // What the old leader said last and never followed with its event is not this tab's.
        unconfirmedId = undefined;
        // The server replays what follows the new leader's ID: enough for a tab whose history has
        // that ID. A tab behind it (or ahead of a leader with none) asks the leader to catch up.
        if (waiting !== undefined || lacks(message.lastEventId)) join();
        break;
      case 'welcome':
        if (message.to === tab && message.seq === joins && waiting !== undefined) welcomed(message);
        break;
      case 'snapshot': {
        // While waiting, the welcome brings the snapshot that goes with the events it brings.
        if (waiting !== undefined) break;
        confirmId();
        const { lastEventId, ...stream } = message.snapshot;
        apply(stream);
        if (lastEventId !== store.get().lastEventId && skipUntil === undefined) unconfirmedId = lastEventId;
        break;
      }
      case 'event':
        if (waiting !== undefined) waiting.push(message.event);
        else if (!behindThisTab(message.event)) {
          // The event's ID is the stream's last event ID: set before it is dispatched.
          unconfirmedId = undefined;
          store.set({ lastEventId: message.event.id });
          dispatch(message.event);
        }
        break;
      case 'report':
        confirmId();
        hooks.report(fromShared(message.error));
        break;
      case 'count':
        confirmId();
        hooks[message.hook](message.value);
        break;
      case 'closed': {
        const error = message.error === null ? undefined : fromShared(message.error);
        closeTab(error);
        if (error !== undefined) hooks.report(error);
        break;
      }
      default:
    }
  }

  function enter(): void {
    channel = environment.channel(group);
    channel.onmessage = ({ data }) => onMessage(data as ShareMessage);
    join();
    election = environment.elect(group, tab, { lead, follow });
  }

  return {
    connect() {
      if (channel !== undefined || suspended) return;
      store.set({
        state: 'connecting',
        attempt: 0,
        error: null,
        retryAt: null,
        paused: null,
        role: 'follower',
      });
      if (options.pauseWhenHidden) {
        visibility = createGroupVisibility(environment.visibility, (hidden) =>
          post({ kind: 'visibility', tab, hidden }),
        );
      }
      unwatch = environment.lifecycle({
        suspend() {
          if (channel === undefined) return;
          suspended = true;
          leave();
        },
        resume() {
          if (!suspended) return;
          suspended = false;
          store.set({ role: 'follower' });
          enter();
        },
      });
      enter();
    },
    close() {
      closeTab(undefined);
    },
  };
}
