import { createEpoch, parseEventId } from '@app/sse-protocol';
import type { AppendRequest, ReplayRead, ReplayStore, StoredEvent } from '@app/sse-server';
import { createClient } from '@redis/client';
import { RedisStoreError } from './errors';
import { startLiveFeed } from './live-feed';
import { type RedisStoreOptions, resolveOptions } from './options';
import {
  destroyQuietly,
  isErrorReply,
  luaScript,
  NoAnswerError,
  type RedisConnection,
  withTimeout,
} from './redis-connection';
import { APPEND_SCRIPT, INIT_SCRIPT, READ_SCRIPT } from './scripts';
import { seqOf, toStoredEvent } from './stream-entries';

const init = luaScript(INIT_SCRIPT);
const appendEntry = luaScript(APPEND_SCRIPT);
const readEntries = luaScript(READ_SCRIPT);

/** How many entries one replay read asks Redis for: bounded, so one resume never blocks Redis long. */
const PAGE = 1000;

/** What the read script answers: newest entry ID, oldest entry ID, entries, the epoch's start. */
type ReadAnswer = [newest: string, oldest: string, entries: unknown[], start: number];

/**
 * A replay store on a Redis Stream, shared by every instance of an application: publish on any
 * instance reaches the matching connections of every instance, exactly once each, in one order,
 * and a client resumes on any instance with no gap and no duplicate. See the package README.
 *
 * @param options - `redis`, `stream`, `maxLen`, ...; see {@link RedisStoreOptions}
 * @returns the store, for `createEmitter({ events, store })`
 * @throws {@link RedisStoreError} `invalid-option` for options it cannot work with
 * @example
 * ```ts
 * const store = createRedisStore({ redis: process.env.REDIS_URL as string, stream: 'sse:app' });
 * const sse = createEmitter({ events, store });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): ReplayStore {
  const { stream, maxLen, trimming, timeoutMs, onError } = resolveOptions(options);
  const owned = typeof options.redis === 'string' || options.redis instanceof URL;
  let writer: RedisConnection = owned ? ownClient() : (options.redis as RedisConnection);

  let epoch = '';
  // The newest sequence number this process saw in `epoch` (appended, read, or delivered by its
  // live feed). Every script gets it: a stream whose newest entry is older came back from older
  // data, and the script gives what is left a new epoch (see scripts.ts).
  let seen = 0;
  // Where the live feed starts: the head when the store became ready, read before any append of
  // this process can run (appends wait for the same readiness), so the feed misses none of them.
  let readyAt = { epoch: '', seq: 0 };
  let ready: Promise<void> | undefined;
  // The one connect() of a client that is not open: node-redis retries it until Redis answers.
  let connecting: Promise<unknown> | undefined;
  let closed = false;
  const stops: (() => void)[] = [];

  function foreignEntry(entry: unknown): RedisStoreError {
    const entryId = String((entry as unknown[] | undefined)?.[0]);
    return new RedisStoreError(
      'store-failed',
      `the stream holds an entry this store did not write (${entryId}): another program writes to its key`,
      stream,
    );
  }

  function unavailable(message: string, cause: unknown): RedisStoreError {
    return new RedisStoreError('store-unavailable', message, stream, cause);
  }

  /** A client of the store's own (`redis` given as a URL). */
  function ownClient(): RedisConnection {
    const client = createClient({ url: String(options.redis), RESP: 2 }) as unknown as RedisConnection;
    client.on('error', (error) => onError(unavailable('the Redis connection failed', error)));
    return client;
  }

  /**
   * A command got no answer in time: its connection may have died silently (a lost NAT entry, a
   * failover: no FIN nor RST arrives, and the client would wait for the kernel's TCP timeouts,
   * minutes). The store's own client is replaced; the next command connects a new one. A client the
   * application gave is left to it (see the README).
   */
  function replaceOwnClient(): void {
    if (!owned || closed) return;
    const dead = writer;
    writer = ownClient();
    // The next command connects it. Readiness stays: the feed's starting point must not move.
    connecting = undefined;
    destroyQuietly(dead);
  }

  /** Sends a script, failing with `store-unavailable` past `timeoutMs`. */
  async function run(script: typeof init, args: readonly string[], what: string): Promise<unknown> {
    try {
      await connectWriter();
    } catch (error) {
      throw error instanceof RedisStoreError ? error : unavailable('Redis could not be reached', error);
    }
    const connection = writer;
    try {
      return await script(connection, [stream], args, timeoutMs);
    } catch (error) {
      // Redis answered with an error (a key of another type, a Redis before 7.0): waiting will not help.
      if (isErrorReply(error))
        throw new RedisStoreError('store-failed', `Redis refused to ${what}`, stream, error);
      if (error instanceof NoAnswerError && connection === writer) replaceOwnClient();
      throw unavailable(`Redis did not ${what}`, error);
    }
  }

  /** Takes `current` as the stream's epoch; what was seen of another one says nothing of it. */
  function adopt(current: string): void {
    if (current !== epoch) seen = 0;
    epoch = current;
  }

  /** Notes that the stream reached `seq` in epoch `where`. */
  function witness(where: string, seq: number): void {
    if (where === epoch && seq > seen) seen = seq;
  }

  /** (Re)reads the stream's epoch, making one if the stream has none (new, flushed, deleted). */
  async function refreshEpoch(): Promise<string> {
    adopt(String(await run(init, [createEpoch()], 'tell the stream epoch')));
    return epoch;
  }

  /**
   * Connects the client if it is not (a client given unconnected, or the store's own after
   * {@link replaceOwnClient}); closing a given client stays the application's.
   */
  async function connectWriter(): Promise<void> {
    if (closed) throw new RedisStoreError('store-unavailable', 'the store is closed', stream);
    if (!writer.isOpen && connecting === undefined) {
      const attempt: Promise<unknown> = writer.connect().catch((error: unknown) => {
        // A client whose reconnect strategy gave up: the next call tries again.
        if (connecting === attempt) connecting = undefined;
        throw error;
      });
      connecting = attempt;
    }
    if (connecting !== undefined) await withTimeout(connecting, timeoutMs, 'Redis connection');
  }

  function ensureReady(): Promise<void> {
    // Set once: where the live feed starts must stay before every append of this process.
    ready ??= (async () => {
      await connectWriter();
      await refreshEpoch();
      readyAt = { epoch, seq: seqOf((await read(0, 0))[0]) };
    })().catch((error: unknown) => {
      ready = undefined;
      throw error instanceof RedisStoreError ? error : unavailable('Redis could not be reached', error);
    });
    return ready;
  }

  /**
   * The read script's answer (newest ID, oldest ID, entries after `after`, the epoch's start) if
   * the stream is still in `expected` epoch, else `undefined` (and the epoch is read again).
   */
  async function readIn(expected: string, after: number, count: number): Promise<ReadAnswer | undefined> {
    const reply = (await run(
      readEntries,
      [expected, String(after), String(count), String(expected === epoch ? seen : 0), createEpoch()],
      'read the stream',
    )) as unknown[];
    if (String(reply[0]) !== 'ok') {
      await refreshEpoch();
      return undefined;
    }
    const newest = String(reply[1]);
    adopt(expected);
    witness(expected, seqOf(newest));
    return [newest, String(reply[2]), (reply[3] as unknown[]) ?? [], Number(reply[4])];
  }

  /** The read script's answer for the current epoch, refreshing the epoch once if it changed. */
  async function read(after: number, count: number): Promise<ReadAnswer> {
    const answer = (await readIn(epoch, after, count)) ?? (await readIn(epoch, after, count));
    if (answer === undefined)
      throw new RedisStoreError('store-failed', 'the stream epoch keeps changing', stream);
    return answer;
  }

  async function head(): Promise<string> {
    await ensureReady();
    const [newest] = await read(0, 0);
    return `${epoch}-${seqOf(newest)}`;
  }

  return {
    async append(request: AppendRequest): Promise<StoredEvent> {
      await ensureReady();
      const channels = request.channels === null ? '' : JSON.stringify(request.channels);
      for (let attempt = 0; ; attempt++) {
        const written = epoch;
        const reply = await run(
          appendEntry,
          [written, trimming, String(maxLen), channels, request.body, String(seen), createEpoch()],
          'store the event',
        );
        if (reply !== null && reply !== false && reply !== undefined) {
          const seq = seqOf(reply);
          witness(written, seq);
          const id = `${written}-${seq}`;
          return { id, seq, channels: request.channels, frame: request.encode(id) };
        }
        // The stream lost its epoch (flushed, deleted, Redis restarted empty or rewound): the event
        // is new, so it goes into the new life of the stream; the live feed tells every instance.
        if (attempt > 0) throw new RedisStoreError('store-failed', 'the stream epoch keeps changing', stream);
        await refreshEpoch();
      }
    },

    async readAfter(lastEventId: string): Promise<ReplayRead> {
      await ensureReady();
      const position = parseEventId(lastEventId);
      if (position === undefined) return { ok: false, reason: 'unknown-id', head: await head() };
      // Every page is read in the client's epoch, atomically: a stream that lost its history (and
      // got a new epoch, maybe already with new entries) is a reset, never entries of its new life.
      const changed = async (): Promise<ReplayRead> => ({
        ok: false,
        reason: 'epoch-changed',
        head: await head(),
      });
      const page = await readIn(position.epoch, position.seq, PAGE);
      if (page === undefined) return changed();
      const [newest, oldest, first, start] = page;
      const headSeq = seqOf(newest);
      const headId = `${position.epoch}-${headSeq}`;
      // Before its start, an epoch gave no ID (forged, or of the life before a rewind).
      if (position.seq > headSeq || position.seq < start)
        return { ok: false, reason: 'unknown-id', head: headId };
      if (position.seq === headSeq) return { ok: true, events: [], head: headId };
      if (oldest === '' || seqOf(oldest) > position.seq + 1)
        return { ok: false, reason: 'evicted', head: headId };
      const events: StoredEvent[] = [];
      let entries = first;
      for (;;) {
        for (const entry of entries) {
          const stored = toStoredEvent(entry);
          if (stored === undefined) {
            onError(foreignEntry(entry));
            return { ok: false, reason: 'evicted', head: headId };
          }
          const { event } = stored;
          if (event.seq > headSeq) return { ok: true, events, head: headId };
          // Trimmed between two pages: what is left would look complete and is not.
          if (event.seq !== position.seq + events.length + 1)
            return { ok: false, reason: 'evicted', head: headId };
          events.push(event);
        }
        if (events.length === headSeq - position.seq || entries.length < PAGE) break;
        const next = await readIn(position.epoch, position.seq + events.length, PAGE);
        if (next === undefined) return changed();
        [, , entries] = next;
      }
      if (events.length !== headSeq - position.seq) return { ok: false, reason: 'evicted', head: headId };
      return { ok: true, events, head: headId };
    },

    head,

    subscribe(listener) {
      const stop = startLiveFeed({
        duplicate: () => writer.duplicate(),
        timeoutMs,
        stream,
        onError,
        listener,
        start: async () => {
          await ensureReady();
          return readyAt;
        },
        currentEpoch: async () => {
          await ensureReady();
          const [, , , start] = await read(0, 0);
          return { epoch, seq: start };
        },
        witness,
      });
      stops.push(stop);
      return stop;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const stop of stops.splice(0)) stop();
      if (owned) destroyQuietly(writer);
    },
  };
}
