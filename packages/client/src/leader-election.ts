import type { VisibilitySource } from './environment';
import { type LifecycleCallbacks, pageVisibility, watchPageLifecycle } from './page-lifecycle';

/** The part of a `BroadcastChannel` the sharing code uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

/** The part of the Web Locks API's `LockManager` (`navigator.locks`) the election uses. */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; steal?: boolean },
    callback: () => Promise<void>,
  ): Promise<unknown>;
}

/** What an election calls as this tab's role changes. */
export interface ElectionCallbacks {
  /** This tab now leads: it holds the stream. */
  lead(): void;
  /**
   * This tab lost the lead to another: the heartbeat election found an older leader, or (with
   * Web Locks, `stolen`) another tab took the lock because this page stayed silent too long.
   */
  follow(stolen?: boolean): void;
}

/** One tab's place in the election of its share group. */
export interface Election {
  /** Leaves the election: gives up the lead if held, or the place in the queue. */
  leave(): void;
}

/** How often the holder of the lock says on the election channel that its page runs. */
export const LOCK_BEAT_MS = 1000;
/**
 * How long a visible tab hears no beat from the holder of the lock before it takes the lock.
 * Chromium runs a background tab's timers at most once a second (so a hidden leader still beats
 * about every second, well within this), and after five minutes hidden at most once a minute:
 * such a leader loses the lock to a tab the user looks at, once (the visible tab beats on time
 * from then on), which costs one reconnection and loses nothing. Hidden tabs never take the lock,
 * so two background tabs cannot trade it back and forth.
 */
export const LOCK_STEAL_AFTER_MS = 5000;

type BeatMessage = { kind: 'beat' };

/** Whether this tab's page is visible (`true` where there is no page, as in a worker). */
export function pageVisible(): boolean {
  return !pageVisibility.hidden();
}

/**
 * Elects through the Web Locks API: every tab asks for the group's exclusive lock, and the one
 * that holds it leads until it leaves. The browser hands the lock to the next tab in the queue
 * as soon as the holder releases it, or its page is closed, navigates away or crashes (a lock
 * lives as long as the agent that took it), so a handover needs no timeout.
 *
 * A page that hangs (a long task) keeps its lock and relays nothing, though. With a `channel`, the
 * holder beats every {@link LOCK_BEAT_MS}, and a visible tab that hears no beat for
 * {@link LOCK_STEAL_AFTER_MS} steals the lock (`steal: true`); the old holder's request then
 * rejects, and that tab steps down (`follow(true)`) when it runs again and queues for the lock anew.
 *
 * @param locks - `navigator.locks`
 * @param name - the group's lock name
 * @param callbacks - told when this tab leads, and when its lock was stolen
 * @param channel - the group's election channel, for this election alone (no beats without it)
 * @param visible - whether this tab's page is visible (only a visible tab steals the lock)
 */
export function electByLock(
  locks: LockManagerLike,
  name: string,
  callbacks: ElectionCallbacks,
  channel?: ChannelLike,
  visible: () => boolean = pageVisible,
): Election {
  let controller: AbortController | undefined;
  let release: (() => void) | undefined; // set while this tab holds the lock
  let left = false;
  let stealing = false;
  let lastBeat = Date.now();

  function request(steal: boolean): void {
    let granted = false;
    if (!steal) controller = new AbortController();
    // `steal` cannot go with a `signal`: leave() releases a stolen lock through `release`.
    const options = steal ? { steal: true } : { signal: (controller as AbortController).signal };
    locks
      .request(name, options, () => {
        granted = true;
        stealing = false;
        if (left) return Promise.resolve();
        return new Promise<void>((resolve) => {
          release = resolve;
          callbacks.lead();
          channel?.postMessage({ kind: 'beat' } satisfies BeatMessage);
        });
      })
      .catch(() => {
        if (steal && !granted) stealing = false;
        // Rejected before the grant: this tab left (or aborted its queued request to steal).
        // Rejected after it: another tab stole the lock while this page was silent.
        if (!granted || left) return;
        const resolve = release;
        release = undefined;
        resolve?.();
        lastBeat = Date.now();
        callbacks.follow(true);
        if (!left) request(false);
      });
  }

  const ticker =
    channel === undefined
      ? undefined
      : setInterval(() => {
          if (release !== undefined) channel.postMessage({ kind: 'beat' } satisfies BeatMessage);
          else if (!stealing && Date.now() - lastBeat > LOCK_STEAL_AFTER_MS && visible()) {
            stealing = true;
            controller?.abort(); // the stolen lock takes the place of the queued request
            request(true);
          }
        }, LOCK_BEAT_MS);
  if (channel !== undefined) {
    channel.onmessage = ({ data }) => {
      if ((data as Partial<BeatMessage>).kind === 'beat') lastBeat = Date.now();
    };
  }
  request(false);

  return {
    leave() {
      left = true;
      clearInterval(ticker);
      controller?.abort();
      release?.();
      release = undefined;
      if (channel !== undefined) {
        channel.onmessage = null;
        channel.close();
      }
    },
  };
}

/** How often the leader of a heartbeat election says it is alive. */
export const HEARTBEAT_MS = 250;
/** How long without a heartbeat before a follower takes the lead. */
export const LEADER_TIMEOUT_MS = 1000;

type HeartbeatMessage = { kind: 'beat' | 'resign' | 'who'; from: string };

/**
 * Elects by heartbeats over a `BroadcastChannel`, for browsers without the Web Locks API: the
 * leader says `beat` every {@link HEARTBEAT_MS}; a tab that hears none for
 * {@link LEADER_TIMEOUT_MS} (a crashed or frozen leader) or hears the leader resign takes the
 * lead. Two tabs may claim at once: the one with the smaller ID keeps it and the other steps down
 * at the first beat it hears, so for a moment two streams may run (their events carry the same
 * IDs, and every tab drops duplicates by ID).
 *
 * @param channel - the group's election channel, for this election alone
 * @param id - this tab's ID, unique among the tabs
 * @param callbacks - told when this tab leads or stops leading
 * @param random - uniform numbers in `[0, 1)`, to spread the claims after a resignation
 */
export function electByHeartbeat(
  channel: ChannelLike,
  id: string,
  callbacks: ElectionCallbacks,
  random: () => number = Math.random,
): Election {
  let leading = false;
  // A new tab waits a full timeout before it claims, as the followers of a leader that just
  // crashed do: claiming sooner, it would lead from its own (empty) last event ID, and the server
  // would not replay what the older tabs missed since the crash.
  let lastBeat = Date.now();
  let beats = 0; // heartbeats heard from others
  let claimTimer: ReturnType<typeof setTimeout> | undefined;
  const post = (kind: HeartbeatMessage['kind']) => channel.postMessage({ kind, from: id });

  function claim(): void {
    leading = true;
    post('beat');
    callbacks.lead();
  }

  const ticker = setInterval(() => {
    if (leading) post('beat');
    else if (Date.now() - lastBeat > LEADER_TIMEOUT_MS) claim();
  }, HEARTBEAT_MS);

  channel.onmessage = ({ data }) => {
    const message = data as HeartbeatMessage;
    if (message.from === id) return;
    if (message.kind === 'who') {
      if (leading) post('beat');
    } else if (message.kind === 'beat') {
      lastBeat = Date.now();
      beats++;
      if (leading && message.from < id) {
        leading = false;
        callbacks.follow();
      }
    } else if (message.kind === 'resign' && !leading) {
      // Everyone heard it at once: each waits a random part of a heartbeat and claims unless a
      // faster tab's beat came first.
      const heard = beats;
      clearTimeout(claimTimer);
      claimTimer = setTimeout(() => {
        if (!leading && beats === heard) claim();
      }, random() * HEARTBEAT_MS);
    }
  };
  post('who');

  return {
    leave() {
      clearInterval(ticker);
      clearTimeout(claimTimer);
      if (leading) post('resign');
      leading = false;
      channel.onmessage = null;
      channel.close();
    },
  };
}

/** Where a share group's channel and election come from (the browser's, or fakes in tests). */
export interface ShareEnvironment {
  /** Opens a channel of the group. */
  channel(name: string): ChannelLike;
  /** Enters this tab (`tab`: its unique ID) into the election of the group's leader. */
  elect(name: string, tab: string, callbacks: ElectionCallbacks): Election;
  /** Watches the page's lifecycle; returns the function that stops watching. */
  lifecycle(callbacks: LifecycleCallbacks): () => void;
  /** The page's visibility (the group's stream pauses, with `pauseWhenHidden`, when every tab is hidden). */
  visibility: VisibilitySource;
}

/**
 * The runtime's channels and election: the Web Locks API where there is one, heartbeats over a
 * `BroadcastChannel` where not.
 */
export function runtimeShareEnvironment(): ShareEnvironment {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  const channel = (name: string) => new BroadcastChannel(name) as unknown as ChannelLike;
  return {
    channel,
    elect: (name, tab, callbacks) =>
      locks === undefined
        ? electByHeartbeat(channel(`${name}:election`), tab, callbacks)
        : electByLock(locks, name, callbacks, channel(`${name}:election`)),
    lifecycle: watchPageLifecycle,
    visibility: pageVisibility,
  };
}
