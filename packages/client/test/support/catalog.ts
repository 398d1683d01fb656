import { defineEvents, encodeEvent, HELLO_EVENT, RESET_EVENT, type ResetReason } from '@app/sse-protocol';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { z } from 'zod';

/** The catalog every client test uses. */
export const events = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  'user:left': z.object({ userId: z.string() }),
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
});

/** A catalog event on the wire. */
export function frame(name: string, data: unknown, id?: string): string {
  return encodeEvent({ ...(id === undefined ? {} : { id }), event: name, data: JSON.stringify(data) });
}

/** The server's `sse:hello` on the wire. */
export function helloFrame(
  options: { id?: string; clientId?: string; heartbeatMs?: number; fingerprint?: string } = {},
): string {
  return frame(
    HELLO_EVENT,
    {
      clientId: options.clientId ?? 'c1',
      fingerprint: options.fingerprint ?? catalogFingerprint(events),
      heartbeatMs: options.heartbeatMs ?? 0,
    },
    options.id,
  );
}

/** The server's `sse:reset` on the wire (no id). */
export function resetFrame(reason: ResetReason, lastEventId: string): string {
  return frame(RESET_EVENT, { reason, lastEventId });
}
