/** What the demo's command line asks for. */
export interface DemoCommandLine {
  /** Where the page is served (with several instances: the proxy in front of them). */
  port: number;
  host: string;
  /** How many instances: more than 1 shares one Redis Stream between them. */
  instances: number;
  /** The Redis to use; with several instances and none given, the demo starts a local one. */
  redisUrl: string | undefined;
}

/** The port the demo uses when neither `--port` nor `PORT` says otherwise. */
export const DEFAULT_PORT = 3000;
/** The interface the demo listens on when neither `--host` nor `HOST` says otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Reads the command line (`--port 4000`, `--port=4000`, `--host 0.0.0.0`, `--instances 2`,
 * `--redis redis://...`) and then the environment (`PORT`, `HOST`, `REDIS_URL`). The command line
 * wins.
 *
 * @param argv - the arguments after the script name
 * @param env - the environment
 * @throws Error with a message saying what is wrong when a port is not an integer from 0 to 65535,
 *   or the instances not one from 1 to 8
 * @example
 * ```ts
 * readCommandLine(['--port', '4000'], {}); // { port: 4000, host: '127.0.0.1', instances: 1, redisUrl: undefined }
 * ```
 */
export function readCommandLine(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): DemoCommandLine {
  const port = flag(argv, 'port') ?? env.PORT;
  const host = flag(argv, 'host') ?? env.HOST;
  const instances = flag(argv, 'instances');
  return {
    port: port === undefined || port === '' ? DEFAULT_PORT : parsePort(port),
    host: host || DEFAULT_HOST,
    instances: instances === undefined ? 1 : parseInstances(instances),
    redisUrl: flag(argv, 'redis') ?? (env.REDIS_URL || undefined),
  };
}

function parseInstances(text: string): number {
  if (!/^[1-8]$/.test(text)) {
    throw new Error(`@app/demo: --instances must be an integer from 1 to 8, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function flag(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === `--${name}`) {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`@app/demo: --${name} needs a value`);
      value = next;
    } else if (arg.startsWith(`--${name}=`)) {
      value = arg.slice(name.length + 3);
    }
  });
  return value;
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new Error(`@app/demo: the port must be an integer from 0 to 65535, got ${JSON.stringify(text)}`);
  }
  return port;
}
