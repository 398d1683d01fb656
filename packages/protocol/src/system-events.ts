// Built with `zod/mini`, like the catalog's own schemas: an app that uses `zod/mini` then bundles
// no zod classic through this package.
import * as z from 'zod/mini';

/** Name of the event a server sends first on every stream. */
export const HELLO_EVENT = 'sse:hello';
/** Name of the event that tells a client the server could not replay what it missed. */
export const RESET_EVENT = 'sse:reset';

/** Payload of `sse:hello`: who the connection is and what the server runs. */
export const helloSchema = z.object({
  /** This connection's ID; the connection is in the channel `client:<clientId>`. */
  clientId: z.string(),
  /** The fingerprint of the server's catalog, to compare with the client's. */
  fingerprint: z.string(),
  /** Interval of the server's heartbeat comments, in milliseconds (0: none). */
  heartbeatMs: z.int().check(z.nonnegative()),
  /**
   * Fingerprints of older catalogs whose clients can read this server's events (the emitter's
   * `compatibleWith`, checked `forward`): such a client is not told `catalog-mismatch`.
   */
  compatible: z.optional(z.array(z.string())),
  /** Older catalogs this server's events break, each with the first breaking change. */
  breaking: z.optional(z.array(z.object({ fingerprint: z.string(), finding: z.string() }))),
});

/** Payload of `sse:hello`. */
export type HelloData = z.infer<typeof helloSchema>;

/**
 * Why a server could not resume from a client's last event ID:
 * - `evicted`: the ID is older than anything the replay store still holds;
 * - `epoch-changed`: the ID is from another epoch of the store (the server restarted);
 * - `unknown-id`: the ID was never issued by this store.
 */
export const resetReasonSchema = z.enum(['evicted', 'epoch-changed', 'unknown-id']);

/** Payload of `sse:reset`: the client missed events it cannot get back and should refetch its state. */
export const resetSchema = z.object({
  reason: resetReasonSchema,
  /** The last event ID the client resumed from. */
  lastEventId: z.string(),
});

/** Payload of `sse:reset`. */
export type ResetData = z.infer<typeof resetSchema>;
/** Reason of an `sse:reset`. */
export type ResetReason = z.infer<typeof resetReasonSchema>;

/** The `Content-Type` of an event stream. */
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';
/** Request header that carries the last event ID on reconnection (lowercase, as Node exposes it). */
export const LAST_EVENT_ID_HEADER = 'last-event-id';
/** Query parameter that carries the last event ID for clients that cannot set headers. */
export const LAST_EVENT_ID_QUERY = 'lastEventId';
