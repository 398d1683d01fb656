import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogFingerprint, toContract } from '../src/contract-index';
import { defineEvents } from '../src/index';
import { events as v1 } from './fixtures/catalogs/v1';

// The built `sse-catalog` executable, run as CI runs it: a child process, its output and status.
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/sse-catalog.js');
const fixture = (name: string) => `test/fixtures/catalogs/${name}`;

function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

let dir: string;
let snapshot: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sse-catalog-'));
  snapshot = join(dir, 'events.contract.json');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sse-catalog', () => {
  it('snapshot writes the contract of a TypeScript catalog module', async () => {
    const result = await run('snapshot', fixture('v1.ts'), '--out', snapshot);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(`wrote ${snapshot} (3 events, ${catalogFingerprint(v1)})\n`);
    expect(JSON.parse(await readFile(snapshot, 'utf8'))).toEqual(toContract(v1));
  });

  it('snapshot without --out prints the contract', async () => {
    const result = await run('snapshot', fixture('v1.ts'));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(toContract(v1));
  });

  it('check passes the same catalog, and a compatible change with a reminder to update the snapshot', async () => {
    await run('snapshot', fixture('v1.ts'), '--out', snapshot);
    expect(await run('check', fixture('v1.ts'), '--against', snapshot)).toEqual({
      status: 0,
      stdout: `compatible (full) with ${snapshot}: 0 safe change(s)\n`,
      stderr: '',
    });
    const compatible = await run('check', fixture('v2-compatible.ts'), '--against', snapshot);
    expect(compatible.status).toBe(0);
    expect(compatible.stdout).toBe(
      `compatible (full) with ${snapshot}: 2 safe change(s); run \`sse-catalog snapshot --out\` to record them\n`,
    );
  });

  it('check fails a breaking change with status 1, one line per finding and its fix', async () => {
    await run('snapshot', fixture('v1.ts'), '--out', snapshot);
    const result = await run('check', fixture('v2-breaking.ts'), '--against', snapshot);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').filter((text) => !text.startsWith('  fix: '))).toEqual([
      'job:progress $ event-removed (breaks backward): event "job:progress" was removed: events of it stored before the deploy still reach new clients on replay',
      'notification $.severity enum-value-added (breaks forward): $.severity may now be "error", which clients built before the change reject',
      'user:joined $.team required-field-added (breaks backward): required field $.team was added: events published before the change lack it',
      `3 breaking change(s) in full mode against ${snapshot}`,
      '',
    ]);
    expect(result.stdout).toContain(
      '  fix: make it optional (.optional() or .default()) so old events still parse',
    );
  });

  it('check judges only the mode asked for, and loads plain JavaScript (a default export)', async () => {
    await run('snapshot', fixture('v1.ts'), '--out', snapshot);
    const backward = await run(
      'check',
      fixture('v2-forward-only.mjs'),
      '--against',
      snapshot,
      '--mode',
      'backward',
    );
    expect(backward.status).toBe(0);
    // The change breaks forward: not judged in backward mode, and not counted as safe either.
    expect(backward.stdout).toBe(
      `compatible (backward) with ${snapshot}: 0 safe change(s), 1 breaking only forward (not checked in backward mode); run \`sse-catalog snapshot --out\` to record them\n`,
    );
    const forward = await run(
      'check',
      fixture('v2-forward-only.mjs'),
      '--against',
      snapshot,
      '--mode',
      'forward',
    );
    expect(forward.status).toBe(1);
  });

  it('checks recursive catalogs (recursion through .nullable() and unions) without crashing', async () => {
    interface Comment {
      text: string;
      parent: Comment | null;
    }
    const comment = (): z.ZodType<Comment> => {
      const node: z.ZodType<Comment> = z.object({ text: z.string(), parent: z.lazy(() => node.nullable()) });
      return node;
    };
    const before = join(dir, 'recursive-v1.json');
    const after = join(dir, 'recursive-v2.json');
    const write = (file: string, catalog: Parameters<typeof toContract>[0]) =>
      writeFile(file, JSON.stringify(toContract(catalog)));
    await write(before, defineEvents({ comment: comment() }));
    await write(after, defineEvents({ comment: comment(), note: z.object({ text: z.string() }) }));
    expect(await run('check', after, '--against', before)).toMatchObject({
      status: 0,
      stdout: `compatible (full) with ${before}: 1 safe change(s); run \`sse-catalog snapshot --out\` to record them\n`,
      stderr: '',
    });
  });

  it('diff lists every change, safe ones included', async () => {
    const result = await run('diff', fixture('v1.ts'), fixture('v2-compatible.ts'));
    expect(result).toEqual({
      status: 0,
      stdout:
        'user:joined $.avatarUrl optional-field-added (safe): optional field $.avatarUrl was added\n' +
        'job:done $ event-added (safe): event "job:done" was added (clients that do not know it skip it)\n',
      stderr: '',
    });
  });

  it('answers misuse with status 2 and one line saying what to do', async () => {
    const cases: [string[], string][] = [
      [['frobnicate', fixture('v1.ts')], 'unknown command "frobnicate" (snapshot, check or diff)'],
      [['check', fixture('v1.ts')], 'check needs --against <snapshot.json>'],
      [
        ['check', fixture('v1.ts'), '--against', snapshot, '--mode', 'sideways'],
        '--mode must be full, backward or forward, not "sideways"',
      ],
      [
        ['snapshot', fixture('no-catalog.mjs')],
        `${fixture('no-catalog.mjs')} exports no event catalog (a defineEvents() result)`,
      ],
      [
        ['snapshot', fixture('two-catalogs.mjs')],
        `${fixture('two-catalogs.mjs')} exports several catalogs (adminEvents, publicEvents): choose one with --export`,
      ],
      [
        ['snapshot', fixture('two-catalogs.mjs'), '--export', 'nope'],
        `${fixture('two-catalogs.mjs')} has no catalog export named "nope"`,
      ],
      [
        ['check', fixture('v1.ts'), '--against', fixture('v1.ts.json')],
        `cannot read ${fixture('v1.ts.json')}`,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      expect({
        args,
        status: result.status,
        stderr: result.stderr.split('\n')[0]?.slice(0, message.length + 13),
      }).toEqual({
        args,
        status: 2,
        stderr: `sse-catalog: ${message}`,
      });
    }
    const picked = await run('snapshot', fixture('two-catalogs.mjs'), '--export', 'adminEvents');
    expect(Object.keys(JSON.parse(picked.stdout).events)).toEqual(['audit']);
  });
});
