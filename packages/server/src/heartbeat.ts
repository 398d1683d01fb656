/** The one heartbeat timer of an emitter: it runs only while at least one connection is open. */
export interface Heartbeat {
  /** Starts or stops the timer for the given number of open connections. */
  update(connections: number): void;
  /** Stops the timer for good. */
  stop(): void;
}

/**
 * One timer for every connection of an emitter (never one per connection: with 10,000 streams that
 * would be 10,000 timers). It is unreferenced, so it never keeps a process alive by itself, and
 * stopped while there is no connection, so an idle emitter holds nothing.
 *
 * @param intervalMs - the interval; 0 disables the heartbeat
 * @param tick - writes the heartbeat to every connection
 */
export function createHeartbeat(intervalMs: number, tick: () => void): Heartbeat {
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = intervalMs === 0;

  function clear(): void {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
  }

  return {
    update(connections) {
      if (connections === 0 || stopped) clear();
      else if (timer === undefined) {
        timer = setInterval(tick, intervalMs);
        (timer as { unref?: () => void }).unref?.();
      }
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
