import type { LiveFeedListener } from '@app/sse-server';
import { RedisStoreError } from './errors';
import {
  destroyQuietly,
  isErrorReply,
  NoAnswerError,
  type RedisConnection,
  withTimeout,
} from './redis-connection';
import { seqOf, toStoredEvent, xreadEntries } from './stream-entries';

/** What {@link startLiveFeed} needs from the store. */
export interface LiveFeedOptions {
  /** A new client like the store's: the feed reads on its own (a blocking read holds its connection). */
  duplicate(): RedisConnection;
  readonly stream: string;
  readonly listener: LiveFeedListener;
  readonly onError: (error: RedisStoreError) => void;
  /** The store's `timeoutMs`: a blocking read unanswered this long past its own wait is a dead connection. */
  readonly timeoutMs: number;
  /** The epoch and the newest sequence number when the feed starts: it delivers what comes after. */
  start(): Promise<{ epoch: string; seq: number }>;
  /**
   * The stream's epoch now (renewed if the stream lost it or was rewound) and its start: the
   * sequence number of the last entry before it, after which its events follow.
   */
  currentEpoch(): Promise<{ epoch: string; seq: number }>;
  /** Told each sequence number the feed delivered, with its epoch. */
  witness(epoch: string, seq: number): void;
}

/** How many entries one blocking read takes at most: a burst is read in a few round trips. */
const BATCH = 512;
/** How long one blocking read waits; when it ends with nothing, the epoch is checked (a flush leaves no entry behind). */
const BLOCK_MS = 1000;

/**
 * Reads every entry appended to the stream, by any instance, in order, and hands each to the
 * listener once (`XREAD BLOCK` from the last sequence number delivered). After a lost connection it
 * goes on from that number, so nothing published meanwhile is skipped or delivered twice. It tells
 * the listener `onReset` when continuity is lost: entries trimmed before they were read (a
 * sequence number skipped) or a new epoch (the history was flushed or lost).
 *
 * @param options - see {@link LiveFeedOptions}
 * @returns a function that stops the feed and closes its connection
 */
export function startLiveFeed(options: LiveFeedOptions): () => void {
  const { stream, listener, onError } = options;
  let reader = openReader();
  let stopped = false;
  let wake: (() => void) | undefined;

  function openReader(): RedisConnection {
    const connection = options.duplicate();
    connection.on('error', (error) =>
      onError(new RedisStoreError('store-unavailable', 'the live feed connection failed', stream, error)),
    );
    return connection;
  }

  /**
   * The read failed: the emitter's publishes waiting for the feed learn of it. A read that got no
   * answer at all may be stuck on a connection that died silently (no FIN nor RST reaches it after
   * a lost NAT entry or a failover): it is replaced by a new one, which goes on from the same place.
   */
  function outage(error: unknown): void {
    listener.onOutage?.();
    if (!(error instanceof NoAnswerError)) return;
    disconnect();
    reader = openReader();
  }

  async function pause(attempt: number): Promise<void> {
    const ms = Math.min(100 * 2 ** attempt, 2000);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }

  async function run(): Promise<void> {
    let epoch = '';
    let seq = 0;
    // An entry another program added after the store's own (an ID with a time part): read, so the
    // next read starts after it, and none of ours can follow it (Redis refuses lower IDs).
    let past: string | undefined;
    for (let attempt = 0; !stopped; attempt++) {
      try {
        if (!reader.isOpen)
          await withTimeout(reader.connect(), options.timeoutMs, 'the live feed connection');
        ({ epoch, seq } = await options.start());
        past = undefined;
        break;
      } catch (error) {
        if (stopped) return;
        onError(new RedisStoreError('store-unavailable', 'the live feed could not start', stream, error));
        outage(error);
        await pause(attempt);
      }
    }
    let failures = 0;
    while (!stopped) {
      let reply: unknown;
      try {
        if (!reader.isOpen)
          await withTimeout(reader.connect(), options.timeoutMs, 'the live feed connection');
        reply = await withTimeout(
          reader.sendCommand([
            'XREAD',
            'COUNT',
            String(BATCH),
            'BLOCK',
            String(BLOCK_MS),
            'STREAMS',
            stream,
            past ?? `0-${seq}`,
          ]),
          BLOCK_MS + options.timeoutMs,
          'the live feed',
        );
        failures = 0;
      } catch (error) {
        if (stopped) return;
        onError(
          isErrorReply(error)
            ? // Redis answered, refusing the read (the key holds another type): not an outage.
              new RedisStoreError('store-failed', 'Redis refused the live feed its read', stream, error)
            : new RedisStoreError(
                'store-unavailable',
                'the live feed lost Redis; it goes on from where it stopped',
                stream,
                error,
              ),
        );
        outage(error);
        await pause(failures++);
        continue;
      }
      if (stopped) return;
      const entries = xreadEntries(reply);
      if (entries.length === 0) {
        try {
          const current = await options.currentEpoch();
          if (current.epoch !== epoch) {
            ({ epoch, seq } = current);
            past = undefined;
            listener.onReset();
          }
        } catch {
          // Redis is away: the next read fails and says so.
        }
        continue;
      }
      for (const entry of entries) {
        const stored = toStoredEvent(entry);
        let current: { epoch: string; seq: number } | undefined;
        if (stored !== undefined && stored.epoch !== epoch) {
          // Written in another life of the stream: this process may have missed its beginning.
          try {
            current = await options.currentEpoch();
          } catch {
            break;
          }
        }
        if (current !== undefined && current.epoch !== epoch) {
          ({ epoch, seq } = current);
          past = undefined;
          listener.onReset();
          break;
        }
        if (stored === undefined || current !== undefined) {
          // Not ours (another program writes to the key, or an epoch no append of ours can have
          // written after this one began): skipped, and said, never fanned out.
          const entryId = String((entry as unknown[])[0]);
          const skipped = seqOf(entryId);
          if (Number.isNaN(skipped)) past = entryId;
          else seq = skipped;
          onError(
            new RedisStoreError(
              'store-failed',
              `skipped an entry this store did not write (${entryId})`,
              stream,
            ),
          );
          continue;
        }
        const { event } = stored;
        // Trimmed before this process read them: the events in between are gone for it.
        if (event.seq !== seq + 1) listener.onReset();
        seq = event.seq;
        options.witness(epoch, seq);
        listener.onEvent(event);
      }
    }
  }

  function disconnect(): void {
    destroyQuietly(reader);
  }

  // Nothing in run() is meant to throw; if something does, it is said rather than left unhandled
  // (an unhandled rejection ends the process).
  void run()
    .catch((error: unknown) =>
      onError(new RedisStoreError('store-failed', 'the live feed stopped on an error', stream, error)),
    )
    .finally(disconnect);
  return () => {
    stopped = true;
    wake?.();
    // A blocking read in progress ends with the connection.
    disconnect();
  };
}
