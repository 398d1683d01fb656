import { describe, expect, it } from 'vitest';
import { parseCliOptions } from './cli-options';
import { SERVER_KINDS } from './fanout/messages';

const OUT = '/repo/BENCHMARKS.md';

describe('parseCliOptions', () => {
  it('defaults to the full run that writes the report', () => {
    const options = parseCliOptions([], OUT);
    expect(options).toMatchObject({
      only: null,
      quick: false,
      connections: [1000, 5000, 10000],
      servers: [...SERVER_KINDS],
      shapes: null,
      rounds: 20,
      clock: 'wall',
      profile: false,
      write: true,
      out: OUT,
    });
  });

  it('makes quick and partial runs print only, unless --write', () => {
    expect(parseCliOptions(['--quick'], OUT)).toMatchObject({
      connections: [250, 1000],
      rounds: 5,
      write: false,
    });
    expect(parseCliOptions(['--', '--only=parser'], OUT)).toMatchObject({ only: 'parser', write: false });
    expect(parseCliOptions(['--only=fanout', '--write'], OUT).write).toBe(true);
    expect(parseCliOptions(['--no-write'], OUT).write).toBe(false);
    expect(parseCliOptions(['--profile'], OUT)).toMatchObject({ profile: true, write: false });
  });

  it('reads lists and numbers', () => {
    const options = parseCliOptions(
      [
        '--connections=100, 200',
        '--servers=ours,raw',
        '--shapes=crlf',
        '--rounds=3',
        '--clock=cpu',
        '--out=/tmp/x.md',
      ],
      OUT,
    );
    expect(options).toMatchObject({
      connections: [100, 200],
      servers: ['ours-express', 'ours-node', 'ours-fetch', 'ours-http2', 'ours-http2-stream', 'raw'],
      shapes: ['crlf'],
      rounds: 3,
      clock: 'cpu',
      out: '/tmp/x.md',
    });
  });

  it('runs each connection count once, smallest first', () => {
    expect(parseCliOptions(['--connections=5000,1000,5000'], OUT).connections).toEqual([1000, 5000]);
  });

  it('refuses bad values with a message naming the flag', () => {
    expect(() => parseCliOptions(['--only=both'], OUT)).toThrow(/--only/);
    expect(() => parseCliOptions(['--connections=10,x'], OUT)).toThrow(/--connections/);
    expect(() => parseCliOptions(['--servers=ours,nginx'], OUT)).toThrow(/nginx/);
    expect(() => parseCliOptions(['--rounds=0'], OUT)).toThrow(/--rounds/);
    expect(() => parseCliOptions(['--clock=tsc'], OUT)).toThrow(/--clock/);
    expect(() => parseCliOptions(['--frobnicate'], OUT)).toThrow();
  });
});
