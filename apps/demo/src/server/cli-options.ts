/** Where the demo server listens. */
export interface ListenOptions {
  port: number;
  host: string;
}

/** The port the demo uses when neither `--port` nor `PORT` says otherwise. */
export const DEFAULT_PORT = 3000;
/** The interface the demo listens on when neither `--host` nor `HOST` says otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Reads the port and host from the command line (`--port 4000`, `--port=4000`, `--host 0.0.0.0`)
 * and then the environment (`PORT`, `HOST`). The command line wins.
 *
 * @param argv - the arguments after the script name
 * @param env - the environment
 * @throws Error with a message saying what is wrong when a port is not an integer from 0 to 65535
 * @example
 * ```ts
 * readListenOptions(['--port', '4000'], {}); // { port: 4000, host: '127.0.0.1' }
 * ```
 */
export function readListenOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ListenOptions {
  const port = flag(argv, 'port') ?? env.PORT;
  const host = flag(argv, 'host') ?? env.HOST;
  return {
    port: port === undefined || port === '' ? DEFAULT_PORT : parsePort(port),
    host: host || DEFAULT_HOST,
  };
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
