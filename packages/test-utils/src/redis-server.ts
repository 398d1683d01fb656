import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real redis-server on a loopback port, in a temporary directory of its own. */
export interface RedisServer {
  readonly url: string;
  /** The process ID of the running server (undefined while stopped). */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM: with `persist`, it writes its data first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory: with `persist`, with its data. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Keep data across a restart (append-only file, fsync always). @defaultValue false */
  persist?: boolean;
  /** The port; `0` picks a free one. @defaultValue 0 */
  port?: number;
}

/**
 * Starts the system's `redis-server` (Debian's package) on 127.0.0.1 for a test suite, a benchmark
 * or the demo's scale-out mode, and waits until it accepts connections.
 *
 * @param options - persistence and port
 * @throws Error saying how to install it when the binary is missing
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const store = createRedisStore({ redis: redis.url, stream: 'sse:test' });
 * await redis.remove();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const persist = options.persist ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'sse-redis-'));
  const port = options.port || (await freePort());
  let child: ChildProcess | undefined;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    persist ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--daemonize',
    'no',
  ];

  async function start(): Promise<void> {
    const process = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = process;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      process.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      process.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error(
                'redis-server is not installed: these suites need a real one (apt-get install redis-server; .ci/run installs it)',
                { cause: error },
              )
            : error,
        ),
      );
      process.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  }

  async function stop(): Promise<void> {
    const process = child;
    child = undefined;
    if (process === undefined || process.exitCode !== null) return;
    await new Promise((resolve) => {
      process.once('exit', resolve);
      process.kill('SIGTERM');
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
