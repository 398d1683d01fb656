/** Options of {@link createPresenceTracker}. */
export interface PresenceTrackerOptions {
  /**
   * How long a user whose last stream closed still counts as online, so a reload or a reconnect
   * does not flash `user:left` then `user:joined` to everyone.
   * @defaultValue 3000
   */
  graceMs?: number;
  /** Called when a user opens their first stream. */
  onJoin(userId: string): void;
  /** Called when a user's last stream has been closed for `graceMs`. */
  onLeave(userId: string): void;
}

/** Counts each user's open streams and says when a user comes online or goes away. */
export interface PresenceTracker {
  /** Records a stream opened by `userId`. */
  connected(userId: string): void;
  /** Records a stream of `userId` that closed. */
  disconnected(userId: string): void;
  /** The users with at least one open stream or inside the grace period. */
  online(): string[];
  /** Cancels the pending grace timers without calling `onLeave`. */
  close(): void;
}

/**
 * Creates a presence tracker: the first stream of a user is a join, the end of their last one
 * (after a grace period) a leave.
 *
 * @param options - callbacks and the grace period
 * @example
 * ```ts
 * const presence = createPresenceTracker({ onJoin: announce, onLeave: farewell });
 * presence.connected('ada'); // onJoin('ada')
 * presence.connected('ada'); // second tab: nothing
 * ```
 */
export function createPresenceTracker(options: PresenceTrackerOptions): PresenceTracker {
  const graceMs = options.graceMs ?? 3000;
  const streams = new Map<string, number>();
  const leaving = new Map<string, ReturnType<typeof setTimeout>>();

  return {
    connected(userId) {
      const pending = leaving.get(userId);
      if (pending) {
        clearTimeout(pending);
        leaving.delete(userId);
      }
      const count = streams.get(userId) ?? 0;
      streams.set(userId, count + 1);
      if (count === 0 && !pending) options.onJoin(userId);
    },
    disconnected(userId) {
      const count = streams.get(userId) ?? 0;
      if (count <= 1) {
        streams.delete(userId);
        if (count === 0 || leaving.has(userId)) return;
        const timer = setTimeout(() => {
          leaving.delete(userId);
          options.onLeave(userId);
        }, graceMs);
        timer.unref();
        leaving.set(userId, timer);
      } else {
        streams.set(userId, count - 1);
      }
    },
    online: () => [...new Set([...streams.keys(), ...leaving.keys()])],
    close() {
      for (const timer of leaving.values()) clearTimeout(timer);
      leaving.clear();
      streams.clear();
    },
  };
}
