import { type ChildProcess, fork } from 'node:child_process';

/** A forked process spoken to with typed messages. */
export interface ChildHandle<Command, Reply extends { type: string }> {
  /** The process id (for `prlimit`, profilers, or `ps`). */
  readonly pid: number;
  /** Sends a command; replies come back through {@link ChildHandle.next}. */
  send(command: Command): void;
  /**
   * The next reply of the given type (replies of other types stay queued for their own waiters).
   * Rejects when the child reports `failed`, exits, or the time runs out.
   */
  next<T extends Reply['type']>(type: T, timeoutMs: number): Promise<Extract<Reply, { type: T }>>;
  /** Ends the process (closes its IPC channel; SIGKILL if it has not exited 3 s later) and waits for it. */
  stop(): Promise<void>;
}

const TAIL_BYTES = 4000;

interface Waiter<Reply> {
  type: string;
  resolve(reply: Reply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Forks a TypeScript entry point with an IPC channel (structured-clone serialisation, so typed
 * arrays cross it intact) and keeps the tail of its output for error messages.
 *
 * @param entry - absolute path of the module to run
 * @param args - its command-line arguments
 * @param execArgv - Node flags (must include the TypeScript loader, e.g. `--import tsx`)
 * @returns a handle for sending commands and awaiting replies
 *
 * @example
 * ```ts
 * const server = startChild<ServerCommand, ServerReply>(serverEntry, ['raw'], ['--import', 'tsx']);
 * const { port } = await server.next('listening', 30_000);
 * ```
 */
export function startChild<Command, Reply extends { type: string; message?: string }>(
  entry: string,
  args: readonly string[],
  execArgv: readonly string[],
): ChildHandle<Command, Reply> {
  const child: ChildProcess = fork(entry, [...args], {
    execArgv: [...execArgv],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (data: Buffer) => {
    output = (output + data.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const queue: Reply[] = [];
  const waiters: Waiter<Reply>[] = [];
  let ended: Error | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const settle = (waiter: Waiter<Reply>) => {
    clearTimeout(waiter.timer);
    waiters.splice(waiters.indexOf(waiter), 1);
  };
  const failAll = (error: Error) => {
    for (const waiter of [...waiters]) {
      settle(waiter);
      waiter.reject(error);
    }
  };

  child.on('message', (reply: Reply) => {
    if (reply.type === 'failed') {
      failAll(new Error(`${entry} ${args.join(' ')} failed: ${reply.message ?? ''}`));
      return;
    }
    const waiter = waiters.find((w) => w.type === reply.type);
    if (waiter === undefined) {
      queue.push(reply);
      return;
    }
    settle(waiter);
    waiter.resolve(reply);
  });
  child.once('exit', (code, signal) => {
    ended = new Error(
      `${entry} ${args.join(' ')} exited (${signal ?? code})${output === '' ? '' : `; its last output:\n${output}`}`,
    );
    failAll(ended);
  });

  return {
    pid: child.pid ?? -1,
    send(command) {
      child.send(command as object);
    },
    next(type, timeoutMs) {
      const queued = queue.findIndex((r) => r.type === type);
      if (queued !== -1) {
        const [reply] = queue.splice(queued, 1);
        return Promise.resolve(reply as Extract<Reply, { type: typeof type }>);
      }
      if (ended !== null) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        const waiter: Waiter<Reply> = {
          type,
          resolve: resolve as (reply: Reply) => void,
          reject,
          timer: setTimeout(() => {
            settle(waiter);
            reject(new Error(`${entry} ${args.join(' ')}: no "${type}" reply within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.push(waiter);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Closing the IPC channel makes the child exit on its own (which also lets a --cpu-prof
      // profile be written); a child that does not is killed.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
