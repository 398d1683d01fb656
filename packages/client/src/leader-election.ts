/** The part of a `BroadcastChannel` the sharing code uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

/** The part of the Web Locks API's `LockManager` (`navigator.locks`) the election uses. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** What an election calls as this tab's role changes. */
export interface ElectionCallbacks {
  /** This tab now leads: it holds the stream. */
  lead(): void;
  /** This tab lost the lead to another (only the heartbeat election can take it back). */
  follow(): void;
}

/** One tab's place in the election of its share group. */
export interface Election {
  /** Leaves the election: gives up the lead if held, or the place in the queue. */
  leave(): void;
}

/**
 * Elects through the Web Locks API: every tab asks for the group's exclusive lock, and the one
 * that holds it leads until it leaves. The browser hands the lock to the next tab in the queue
 * as soon as the holder releases it, or its page is closed, navigates away or crashes (a lock
 * lives as long as the agent that took it), so a handover needs no timeout.
 *
 * @param locks - `navigator.locks`
 * @param name - the group's lock name
 * @param callbacks - told when this tab leads
 */
export function electByLock(locks: LockManagerLike, name: string, callbacks: ElectionCallbacks): Election {
  const controller = new AbortController();
  let release: (() => void) | undefined;
  let left = false;
  locks
    .request(name, { signal: controller.signal }, () => {
      if (left) return Promise.resolve();
      return new Promise<void>((resolve) => {
        release = resolve;
        callbacks.lead();
      });
    })
    // Leaving before the lock was granted aborts the request: nothing to report.
    .catch(() => undefined);
  return {
    leave() {
      left = true;
      controller.abort();
      release?.();
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
  // A new tab asks who leads and waits two heartbeats for an answer before it claims.
  let lastBeat = Date.now() - LEADER_TIMEOUT_MS + 2 * HEARTBEAT_MS;
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
