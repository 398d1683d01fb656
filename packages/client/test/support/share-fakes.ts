import { type ChannelLike, electByLock, type LockManagerLike } from '../../src/leader-election';
import type { LifecycleCallbacks } from '../../src/page-lifecycle';
import type { ShareEnvironment } from '../../src/shared-loop';

/** One tab of a {@link ShareHub}: its channels and locks, and a way to kill it. */
export interface FakeTab {
  /** What the tab's shared loop opens channels and elects with. */
  readonly environment: ShareEnvironment;
  /** Opens a channel of this tab directly (for election tests). */
  channel(name: string): ChannelLike;
  /** Its lock manager. */
  readonly locks: LockManagerLike;
  /**
   * Kills the tab as a crash does: its channels go deaf and mute at once (no goodbye) and the
   * browser releases its locks and drops its queued requests.
   */
  crash(): void;
  /** Crashes the tab when it posts a message `matches` accepts, before that message leaves. */
  crashWhenPosting(matches: (message: unknown) => boolean): void;
  /** Fires the page's `freeze`, then (with `thaw`) its `resume`. */
  freeze(): void;
  thaw(): void;
  /**
   * Makes the page busy (a long task): it hears nothing until `idle`, which delivers what came
   * meanwhile, in order.
   */
  busy(): void;
  idle(): void;
  /** Hides the page, then (with `show`) shows it again, firing `visibilitychange` each time. */
  hide(): void;
  show(): void;
}

/** Channels and locks of one origin, shared by fake tabs, as a browser shares them. */
export interface ShareHub {
  tab(): FakeTab;
}

/** Options of {@link createShareHub}. */
export interface ShareHubOptions {
  /**
   * Delivers channel messages after this many milliseconds (a timer, fake in timer tests)
   * instead of in the next microtask: tabs then act before they hear each other, as tabs in
   * separate processes can.
   */
  latencyMs?: number;
}

interface Member {
  channel: ChannelLike;
  owner: object;
}

interface LockRequest {
  owner: object;
  callback: () => Promise<void>;
  settle: (error?: Error) => void;
}

/**
 * Creates a hub. Channel messages are structured-cloned and delivered to every other open
 * channel of the name, in order, in a later microtask (a `BroadcastChannel` queues a task per
 * destination when the message is posted). Locks are exclusive and granted in request order.
 */
export function createShareHub(options: ShareHubOptions = {}): ShareHub {
  const { latencyMs } = options;
  const members = new Map<string, Member[]>();
  const queues = new Map<string, LockRequest[]>();
  const holders = new Map<string, LockRequest>();

  const crashTriggers = new Map<object, (message: unknown) => boolean>();
  // The deliveries a busy tab has not run yet, by tab.
  const held = new Map<object, (() => void)[]>();

  function openChannel(name: string, owner: object): ChannelLike {
    let closed = false;
    const channel: ChannelLike = {
      onmessage: null,
      postMessage(message) {
        if (closed) throw new DOMException('the channel is closed', 'InvalidStateError');
        if (crashTriggers.get(owner)?.(message) === true) {
          crashTriggers.delete(owner);
          crash(owner);
        }
        const list = members.get(name) ?? [];
        // A crashed tab's channel is mute.
        if (!list.some((member) => member.channel === channel)) return;
        const copy = structuredClone(message);
        for (const member of list) {
          if (member.channel === channel) continue;
          const deliver = () => {
            const backlog = held.get(member.owner);
            if (backlog !== undefined) backlog.push(deliver);
            else if ((members.get(name) ?? []).includes(member)) member.channel.onmessage?.({ data: copy });
          };
          if (latencyMs === undefined) queueMicrotask(deliver);
          else setTimeout(deliver, latencyMs);
        }
      },
      close() {
        closed = true;
        members.set(
          name,
          (members.get(name) ?? []).filter((member) => member.channel !== channel),
        );
      },
    };
    members.set(name, [...(members.get(name) ?? []), { channel, owner }]);
    return channel;
  }

  function crash(owner: object): void {
    for (const [name, list] of members)
      members.set(
        name,
        list.filter((member) => member.owner !== owner),
      );
    for (const [name, queue] of queues)
      queues.set(
        name,
        queue.filter((request) => request.owner !== owner),
      );
    for (const [name, holder] of [...holders]) if (holder.owner === owner) release(name, holder);
  }

  function grant(name: string): void {
    if (holders.has(name)) return;
    const next = queues.get(name)?.shift();
    if (next === undefined) return;
    holders.set(name, next);
    next.callback().then(
      () => release(name, next),
      () => release(name, next),
    );
  }

  function release(name: string, request: LockRequest): void {
    if (holders.get(name) !== request) return;
    holders.delete(name);
    request.settle();
    queueMicrotask(() => grant(name));
  }

  function locksOf(owner: object): LockManagerLike {
    return {
      request(name, options, callback) {
        return new Promise((resolve, reject) => {
          const request: LockRequest = {
            owner,
            callback: () => Promise.resolve().then(callback),
            settle: (error) => (error === undefined ? resolve(undefined) : reject(error)),
          };
          options.signal?.addEventListener('abort', () => {
            const queue = queues.get(name) ?? [];
            if (!queue.includes(request)) return;
            queues.set(
              name,
              queue.filter((entry) => entry !== request),
            );
            request.settle(new DOMException('the request was aborted', 'AbortError'));
          });
          queues.set(name, [...(queues.get(name) ?? []), request]);
          queueMicrotask(() => grant(name));
        });
      },
    };
  }

  return {
    tab() {
      const owner = {};
      const locks = locksOf(owner);
      const watchers = new Set<LifecycleCallbacks>();
      const visibilityWatchers = new Set<() => void>();
      let hidden = false;
      const setHidden = (value: boolean) => {
        hidden = value;
        for (const watcher of [...visibilityWatchers]) watcher();
      };
      return {
        locks,
        channel: (name) => openChannel(name, owner),
        environment: {
          channel: (name) => openChannel(name, owner),
          elect: (name, _tab, callbacks) => electByLock(locks, name, callbacks),
          lifecycle(callbacks) {
            watchers.add(callbacks);
            return () => watchers.delete(callbacks);
          },
          visibility: {
            hidden: () => hidden,
            watch(onChange) {
              visibilityWatchers.add(onChange);
              return () => visibilityWatchers.delete(onChange);
            },
          },
        },
        freeze: () => {
          for (const watcher of [...watchers]) watcher.suspend();
        },
        thaw: () => {
          for (const watcher of [...watchers]) watcher.resume();
        },
        busy: () => void held.set(owner, held.get(owner) ?? []),
        idle: () => {
          const backlog = held.get(owner) ?? [];
          held.delete(owner);
          for (const deliver of backlog) deliver();
        },
        hide: () => setHidden(true),
        show: () => setHidden(false),
        crash: () => crash(owner),
        crashWhenPosting: (matches) => void crashTriggers.set(owner, matches),
      };
    },
  };
}
