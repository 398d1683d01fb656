/** The one heartbeat timer of an emitter: it runs only while at least one connection is open. */
export interface Heartbeat {
  /** Starts or stops the timer for the given number of open connections. */
  update(connections: number): void;
  /** Stops the timer for good. */
  stop(): void;
}

/** The most ticks one heartbeat interval is cut into. */
const MAX_SLICES = 16;
/** The shortest time between two ticks. */
const MIN_TICK_MS = 1000;

/**
 * How many slices the connections are split into for an interval: one per second of it, at most
 * {@link MAX_SLICES}, at least one (an interval under two seconds is not split).
 *
 * @param intervalMs - the heartbeat interval
 */
export function heartbeatSlices(intervalMs: number): number {
  return Math.max(1, Math.min(MAX_SLICES, Math.floor(intervalMs / MIN_TICK_MS)));
}

/**
 * One timer for every connection of an emitter (never one per connection: with 10,000 streams that
 * would be 10,000 timers). It is unreferenced, so it never keeps a process alive by itself, and
 * stopped while there is no connection, so an idle emitter holds nothing.
 *
 * The interval is cut into slices, and each tick writes the heartbeats of one slice of the
 * connections: writing all of them at once held the event loop for about 100 ms at 10,000 node:http
 * connections (about 40 ms over HTTP/2), and every event published meanwhile waited that long. Each
 * connection still gets one heartbeat per interval, never later: slices x tick <= interval.
 *
 * @param intervalMs - the interval; 0 disables the heartbeat
 * @param tick - writes the heartbeat to the connections of `slice` (of `slices`)
 */
export function createHeartbeat(
  intervalMs: number,
  tick: (slice: number, slices: number) => void,
): Heartbeat {
  const slices = heartbeatSlices(intervalMs);
  const tickMs = Math.floor(intervalMs / slices);
  let next = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = intervalMs === 0;

  function clear(): void {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
  }

  function onTick(): void {
    const slice = next;
    next = (next + 1) % slices;
    tick(slice, slices);
  }

  return {
    update(connections) {
      if (connections === 0 || stopped) clear();
      else if (timer === undefined) {
        timer = setInterval(onTick, tickMs);
        (timer as { unref?: () => void }).unref?.();
      }
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
