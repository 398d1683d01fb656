import { clampDelay } from '@app/sse-protocol';
import { setClampedTimeout } from './timer';

/** Notices a connection that went silent. */
export interface Watchdog {
  /**
   * (Re)starts watching: `onTimeout` runs once nothing was seen for `timeoutMs`.
   *
   * @param timeoutMs - the silence that means the connection is dead
   * @param graceMs - how long to wait for pending input after the process itself was stalled
   */
  start(timeoutMs: number, graceMs: number): void;
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
 * When the timer fires more than `graceMs` late, the process itself was stalled (a busy event
 * loop, a suspended laptop or tab): input may be waiting unread while timers run first, so the
 * silence is judged once more after `graceMs` instead of at once.
 *
 * @param onTimeout - called once when the connection has been silent for the timeout
 */
export function createWatchdog(onTimeout: () => void): Watchdog {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timeoutMs = 0;
  let graceMs = 0;
  let lastSeen = 0;
  let dueAt = 0;

  function schedule(delay: number): void {
    // A huge heartbeat (or an Infinity from multiplying one) waits the longest a timer can; when
    // that fires, check() sees the silence is still shorter than the timeout and sleeps again.
    const wait = clampDelay(delay);
    dueAt = Date.now() + wait;
    timer = setClampedTimeout(check, wait);
  }

  function check(): void {
    timer = undefined;
    const now = Date.now();
    const silentFor = now - lastSeen;
    if (silentFor < timeoutMs) schedule(timeoutMs - silentFor);
    else if (now - dueAt > graceMs) schedule(graceMs);
    else onTimeout();
  }

  function stop(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  return {
    start(ms, grace) {
      stop();
      timeoutMs = ms;
      graceMs = grace;
      lastSeen = Date.now();
      schedule(ms);
    },
    touch() {
      lastSeen = Date.now();
    },
    stop,
  };
}
