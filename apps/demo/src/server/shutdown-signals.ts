/** What {@link onShutdownSignal} needs from the process, so that tests can drive it. */
export interface ShutdownHooks {
  /** Drains and closes the server. */
  close(): Promise<void>;
  /** Ends the process with a status. */
  exit(code: number): void;
  /** Prints a line for the person at the terminal. */
  log(line: string): void;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

/**
 * A second signal this soon after the first is the same Ctrl-C, arriving twice: from the terminal
 * and passed on by the script that started the server (`npm run demo`).
 */
export const SAME_PRESS_MS = 500;

/**
 * The demo's answer to SIGINT and SIGTERM: the first drains and closes the server, then exits 0
 * (1 when closing fails); another one, {@link SAME_PRESS_MS} or more later, forces the exit.
 *
 * @returns the signal listener
 *
 * @example
 * ```ts
 * const onSignal = onShutdownSignal({ close: () => demo.close({ drainMs: 2000 }), exit: process.exit, log: console.log, now: () => performance.now() });
 * process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
 * ```
 */
export function onShutdownSignal(hooks: ShutdownHooks): (signal: NodeJS.Signals) => void {
  let stoppingSince: number | undefined;
  return (signal) => {
    if (stoppingSince !== undefined) {
      if (hooks.now() - stoppingSince < SAME_PRESS_MS) return;
      hooks.log('@app/demo: forced exit');
      hooks.exit(1);
      return;
    }
    stoppingSince = hooks.now();
    hooks.log(`\n@app/demo: ${signal} received, draining streams over 2 s (press Ctrl+C again to force)`);
    hooks.close().then(
      () => hooks.exit(0),
      (error: unknown) => {
        hooks.log(`@app/demo: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        hooks.exit(1);
      },
    );
  };
}
