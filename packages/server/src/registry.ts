import type { Connection } from './connection';

/**
 * The members of one channel: the connection itself while it is alone in it, a Set from the second
 * member on. Every connection is alone in its `client:<id>` channel (and usually in `user:<id>`):
 * an empty Set and its hash table cost about 130 bytes, per idle connection, for nothing.
 */
export type ChannelMembers = Connection | Set<Connection>;

/**
 * Every open connection, by ID, by channel and by user. Fan-out reads `channels` directly: one
 * map lookup, then the one member or one loop over a Set.
 */
export interface Registry {
  /** Open connections by ID. */
  readonly connections: Map<string, Connection>;
  /** Channel name to the connections in it; a channel leaves the map with its last member. */
  readonly channels: Map<string, ChannelMembers>;
  /** Open connections per user ID. */
  readonly users: Map<string, number>;
  /** Adds a connection and joins it to each of its `channels`. */
  add(connection: Connection): void;
  /** Removes a connection from every map; a second call does nothing. */
  remove(connection: Connection): void;
  /** Joins a channel; `false` when the connection was already in it. */
  join(connection: Connection, channel: string): boolean;
  /** Leaves a channel; `false` when the connection was not in it. */
  leave(connection: Connection, channel: string): boolean;
}

/** An empty {@link Registry}. */
export function createRegistry(): Registry {
  const connections = new Map<string, Connection>();
  const channels = new Map<string, ChannelMembers>();
  const users = new Map<string, number>();
  // Numbers connections for the heartbeat's slices (wrapping while still a small integer).
  let joined = 0;

  function addMember(channel: string, connection: Connection): void {
    const members = channels.get(channel);
    if (members === undefined) channels.set(channel, connection);
    else if (members instanceof Set) members.add(connection);
    else if (members !== connection) channels.set(channel, new Set([members, connection]));
  }

  function removeMember(channel: string, connection: Connection): void {
    const members = channels.get(channel);
    if (members === connection) channels.delete(channel);
    else if (members instanceof Set) {
      members.delete(connection);
      // Back to a lone member, stored as itself again.
      if (members.size === 1) channels.set(channel, members.values().next().value as Connection);
    }
  }

  return {
    connections,
    channels,
    users,
    add(connection) {
      connection.heartbeatSlot = joined;
      joined = joined === 0x3fffffff ? 0 : joined + 1;
      connections.set(connection.id, connection);
      for (const channel of connection.channels) addMember(channel, connection);
      if (connection.userId !== undefined) {
        users.set(connection.userId, (users.get(connection.userId) ?? 0) + 1);
      }
    },
    remove(connection) {
      if (connections.get(connection.id) !== connection) return;
      connections.delete(connection.id);
      for (const channel of connection.channels) removeMember(channel, connection);
      if (connection.userId !== undefined) {
        const open = (users.get(connection.userId) ?? 1) - 1;
        if (open === 0) users.delete(connection.userId);
        else users.set(connection.userId, open);
      }
    },
    join(connection, channel) {
      if (connection.channels.includes(channel)) return false;
      connection.channels.push(channel);
      if (connections.get(connection.id) === connection) addMember(channel, connection);
      return true;
    },
    leave(connection, channel) {
      const index = connection.channels.indexOf(channel);
      if (index === -1) return false;
      connection.channels.splice(index, 1);
      removeMember(channel, connection);
      return true;
    },
  };
}
