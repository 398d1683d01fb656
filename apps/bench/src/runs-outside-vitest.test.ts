import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The benchmark runs under plain Node, where a module that imports vitest (a test helper) fails to
// load. Every entry's import graph is loaded here in a child process to prove none does.
const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = [
  'src/parser/run-parser-bench.ts',
  'src/fanout/run-fanout.ts',
  'src/scale-out/run-scale-out.ts',
];

it('loads every benchmark entry under plain Node', async () => {
  const script = `await Promise.all(${JSON.stringify(ENTRIES)}.map((entry) => import('./' + entry)));`;
  const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stderr }),
    );
  });
  expect(result).toEqual({ code: 0, stderr: '' });
}, 30_000);
