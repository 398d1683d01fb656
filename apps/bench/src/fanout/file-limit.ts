import { spawnSync } from 'node:child_process';

/** The open-files limit of a process. */
export interface FileLimit {
  soft: number;
  hard: number;
}

function parseLimit(text: string): number {
  return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
}

/**
 * Reads the open-files limit (`RLIMIT_NOFILE`) of a process with util-linux `prlimit`.
 *
 * @param pid - the process. @defaultValue this process
 * @returns the limits, or `null` when `prlimit` is not available
 *
 * @example
 * ```ts
 * fileLimit(); // { soft: 20000, hard: 20000 }
 * ```
 */
export function fileLimit(pid: number = process.pid): FileLimit | null {
  const result = spawnSync(
    'prlimit',
    ['--pid', String(pid), '--nofile', '--raw', '--noheadings', '--output=SOFT,HARD'],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) return null;
  const [soft = '', hard = ''] = result.stdout.trim().split(/\s+/);
  return { soft: parseLimit(soft), hard: parseLimit(hard) };
}

/**
 * Makes sure this process (and so every process it forks afterwards) may open at least `needed`
 * files, raising the soft limit with `prlimit` when it is too low (and the hard one too when the
 * process is privileged). Each connection is one file descriptor in the server and one in the
 * load process.
 *
 * @param needed - descriptors required in each process
 * @returns the limit now in force, or `null` when it could not be read
 *
 * @example
 * ```ts
 * const limit = ensureFileLimit(10_000 + 256);
 * if (limit !== null && limit.soft < 10_256) console.warn('raise ulimit -n');
 * ```
 */
export function ensureFileLimit(needed: number): FileLimit | null {
  const current = fileLimit();
  if (current === null || current.soft >= needed) return current;
  const hard = Math.max(current.hard, needed);
  spawnSync('prlimit', [
    '--pid',
    String(process.pid),
    `--nofile=${needed}:${hard === Number.POSITIVE_INFINITY ? 'unlimited' : hard}`,
  ]);
  const after = fileLimit();
  if (after !== null && after.soft >= needed) return after;
  spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${Math.min(needed, current.hard)}:`]);
  return fileLimit();
}
