/**
 * Counts, across every instance of a scale-out deployment, the instances where a user is present
 * (has a stream open, or closed one less than the grace period ago). Each instance tells the
 * counter only when its own view of the user changes, so the user joins when the first instance
 * gains them and leaves when the last one loses them: a tab moving from instance A to instance B
 * (an instance went down) never shows its user leaving.
 */
export interface PresenceCounter {
  /** This instance gained `userId`. @returns how many instances now hold the user */
  add(userId: string): Promise<number>;
  /** This instance lost `userId` (its grace period ended). @returns how many still hold the user */
  remove(userId: string): Promise<number>;
}

/**
 * A {@link PresenceCounter} for one instance: the demo's default, when no other instance shares
 * the history.
 *
 * @example
 * ```ts
 * const presence = createLocalPresenceCounter();
 * await presence.add('ada'); // 1
 * ```
 */
export function createLocalPresenceCounter(): PresenceCounter {
  const holders = new Map<string, number>();
  const change = (userId: string, by: number): Promise<number> => {
    const count = (holders.get(userId) ?? 0) + by;
    if (count > 0) holders.set(userId, count);
    else holders.delete(userId);
    return Promise.resolve(count);
  };
  return { add: (userId) => change(userId, 1), remove: (userId) => change(userId, -1) };
}

/** What {@link createRedisPresenceCounter} needs of a node-redis client. */
export interface HashCounterClient {
  hIncrBy(key: string, field: string, increment: number): Promise<number>;
}

/**
 * A {@link PresenceCounter} in one Redis hash (`HINCRBY`, atomic across instances).
 *
 * @param redis - a connected node-redis client
 * @param key - the hash's key, unique per deployment run (a crashed run's counts must not linger)
 * @example
 * ```ts
 * const presence = createRedisPresenceCounter(redis, `demo:${Date.now()}:presence`);
 * if ((await presence.add('ada')) === 1) await sse.broadcast('user:joined', joined);
 * ```
 */
export function createRedisPresenceCounter(redis: HashCounterClient, key: string): PresenceCounter {
  return {
    add: (userId) => redis.hIncrBy(key, userId, 1),
    remove: (userId) => redis.hIncrBy(key, userId, -1),
  };
}
