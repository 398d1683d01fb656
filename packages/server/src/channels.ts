// Channel names: the built-in `client:` and `user:` channels, the check every name passes, and the
// list a new connection joins.
import type { ConnectionIdentity } from './connection-info';
import { SseServerError } from './errors';
import type { HandlerOptions } from './options';

/** The channel every connection joins: `client:<clientId>`. */
export function clientChannel(clientId: string): string {
  return `client:${clientId}`;
}

/** The channel every connection of an authorised user joins: `user:<userId>`. */
export function userChannel(userId: string): string {
  return `user:${userId}`;
}

/**
 * Throws unless `channel` is a non-empty string.
 *
 * @param channel - a channel name
 */
export function assertChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== 'string' || channel === '') {
    throw new SseServerError(
      'invalid-channel',
      `channel names must be non-empty strings, got ${JSON.stringify(channel)}`,
    );
  }
}

/**
 * Every channel of a new connection: `client:<id>`, `user:<userId>` when authorised, and what
 * `channels` adds, without repeats.
 *
 * @throws {@link SseServerError} `invalid-channel` for a channel that is not a non-empty string, or
 * a single string returned instead of a list; and whatever `channels` throws
 */
export async function resolveChannels<Req>(
  req: Req,
  identity: ConnectionIdentity,
  channels: HandlerOptions<Req>['channels'],
): Promise<string[]> {
  const list = [clientChannel(identity.clientId)];
  if (identity.userId !== undefined) list.push(userChannel(identity.userId));
  if (channels === undefined) return list;
  const extra = await channels(req, identity);
  if (extra === undefined) return list;
  // A string is iterable too: 'room:1' would join the channels 'r', 'o', 'o', 'm', ':' and '1'.
  if (typeof extra === 'string') {
    throw new SseServerError(
      'invalid-channel',
      `channels() must return a list of channel names, got the string ${JSON.stringify(extra)}: return [channel]`,
    );
  }
  for (const channel of extra) {
    assertChannel(channel);
    if (!list.includes(channel)) list.push(channel);
  }
  return list;
}
