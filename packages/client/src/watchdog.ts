/** Notices a connection that went silent. */
export interface Watchdog {
  /** (Re)starts watching: `onTimeout` runs once nothing was seen for `timeoutMs`. */
  start(timeoutMs: number): void;
  /** Something arrived: the connection is alive. */
  touch(): void;
  /** Stops watching. */
  stop(): void;
}

/**
 * Creates a watchdog. `touch()` runs for every chunk, so it only records the time: re-arming a
 * timer per chunk would cost a clearTimeout and a setTimeout each time. The single timer checks
 * the recorded time when it fires and sleeps again for whatever is left.
 *
 * @param onTimeout - called once when the connection has been silent for the timeout
 */
export function createWatchdog(onTimeout: () => void): Watchdog {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timeoutMs = 0;
  let lastSeen = 0;

  function check(): void {
    timer = undefined;
    const silentFor = Date.now() - lastSeen;
    if (silentFor >= timeoutMs) onTimeout();
    else timer = setTimeout(check, timeoutMs - silentFor);
  }

  function stop(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  return {
    start(ms) {
      stop();
      timeoutMs = ms;
      lastSeen = Date.now();
      timer = setTimeout(check, ms);
    },
    touch() {
      lastSeen = Date.now();
    },
    stop,
  };
}
