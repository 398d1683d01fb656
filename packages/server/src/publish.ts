import { assertFieldValue, encodeEvent } from '@app/sse-protocol';
import type { EmitterCore } from './emitter-core';
import { SseServerError } from './errors';
import { toOwnedBytes } from './frames';
import type { LiveFeed } from './live-feed';
import type { PublishOrder } from './publish-order';
import type { AppendRequest, EventTargets, StoredEvent } from './replay-store';
import { record, timeStore } from './telemetry';

/**
 * What `broadcast` and `send` resolve to.
 *
 * @example
 * ```ts
 * const { id, delivered }: PublishResult = await sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
 * ```
 */
export interface PublishResult {
  /** The event's ID (`<epoch>-<seq>`), as clients see it and send it back in `Last-Event-ID`. */
  id: string;
  /**
   * How many open streams of this process it was handed to (streams still writing their replay
   * included). Counted when the event is fanned out: after every event published before it, in
   * publishing order. A stream this very event dropped as too slow (`maxBufferedBytes`) is not
   * counted; one dropped later, before its queue was written, was counted here but not in the
   * `sent`/`delivered` metrics, which count what was written (its client resumes from the store).
   * With a store shared by several instances (`@app/sse-redis`), the other instances' streams are
   * not counted: each fans the event out to its own.
   */
  delivered: number;
}

/**
 * Makes the emitter's publish: validates the event against the catalog, encodes it once, appends it
 * to the store and fans it out in publishing order (through the shared store's live feed when there
 * is one, else through `order`), timing it for the metrics.
 *
 * @param feed - the live feed of a shared store, if the store has one
 * @param order - the publishing order of a store of this process
 * @returns `publish(name, data, channels)`; `channels` is `null` for a broadcast
 */
export function createPublisher(
  core: EmitterCore,
  feed: LiveFeed | undefined,
  order: PublishOrder,
): (name: string, data: unknown, channels: EventTargets) => Promise<PublishResult> {
  function settled(stored: StoredEvent, delivered: number, started: number): PublishResult {
    record(core.telemetry.publishDuration, (performance.now() - started) / 1000);
    return { id: stored.id, delivered };
  }

  async function publish(name: string, data: unknown, channels: EventTargets): Promise<PublishResult> {
    const started = performance.now();
    if (core.closed) throw new SseServerError('closed', `cannot send "${name}": the emitter is closed`);
    // Validated, serialised and encoded once, however many connections receive the event.
    const parsed = core.catalog.parse(name, data);
    let json: string | undefined;
    try {
      json = JSON.stringify(parsed);
    } catch (error) {
      throw new SseServerError('serialization-failed', `the "${name}" payload cannot be serialised to JSON`, {
        cause: error,
      });
    }
    // Encoded once: the `id:` line is the only part that waits for the store.
    const body = encodeEvent({ event: name, data: json ?? 'null' });
    const request: AppendRequest = {
      channels,
      body,
      encode(id) {
        assertFieldValue('id', id); // a store's ID must not end the line early
        return toOwnedBytes(`id: ${id}\n${body}`);
      },
    };
    if (feed !== undefined) {
      const done = feed.begin();
      try {
        const stored = await append(name, request);
        const delivered = feed.appended(stored);
        return settled(stored, typeof delivered === 'number' ? delivered : await delivered, started);
      } finally {
        done();
      }
    }
    const ticket = order.enter();
    let stored: StoredEvent;
    try {
      stored = await append(name, request);
    } catch (error) {
      void order.settle(ticket, undefined);
      throw error;
    }
    const delivered = order.settle(ticket, stored);
    return settled(stored, typeof delivered === 'number' ? delivered : await delivered, started);
  }

  async function append(name: string, request: AppendRequest): Promise<StoredEvent> {
    let stored: StoredEvent;
    try {
      stored = await timeStore(core.telemetry, 'append', () => core.store.append(request));
    } catch (error) {
      // A store that could not reach its backend says so with the code `store-unavailable`.
      const unavailable = (error as { code?: unknown } | null)?.code === 'store-unavailable';
      throw new SseServerError(
        unavailable ? 'store-unavailable' : 'store-failed',
        `the replay store could not ${unavailable ? 'be reached to append' : 'append'} "${name}"`,
        { cause: error },
      );
    }
    core.counters.published += 1;
    const { published } = core.telemetry;
    published.set(name, (published.get(name) ?? 0) + 1); // a catalog name: parse() refused any other
    return stored;
  }

  return publish;
}
