import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, readListenOptions } from '../src/server/cli-options';

describe('readListenOptions', () => {
  it('defaults to port 3000 on this machine only', () => {
    expect(readListenOptions([], {})).toEqual({ port: DEFAULT_PORT, host: DEFAULT_HOST });
    expect(DEFAULT_PORT).toBe(3000);
  });

  it('reads PORT and HOST from the environment', () => {
    expect(readListenOptions([], { PORT: '4000', HOST: '0.0.0.0' })).toEqual({ port: 4000, host: '0.0.0.0' });
  });

  it('prefers --port over PORT, in both spellings', () => {
    expect(readListenOptions(['--port', '5000'], { PORT: '4000' }).port).toBe(5000);
    expect(readListenOptions(['--port=5001'], { PORT: '4000' }).port).toBe(5001);
    expect(readListenOptions(['--host', '::1'], {}).host).toBe('::1');
  });

  it('refuses a port that is not an integer from 0 to 65535, saying what it got', () => {
    expect(() => readListenOptions(['--port', 'abc'], {})).toThrow(
      /port must be an integer from 0 to 65535, got "abc"/,
    );
    expect(() => readListenOptions([], { PORT: '70000' })).toThrow(/got "70000"/);
    expect(() => readListenOptions([], { PORT: '-1' })).toThrow(/got "-1"/);
    expect(() => readListenOptions(['--port'], {})).toThrow(/--port needs a value/);
  });
});
