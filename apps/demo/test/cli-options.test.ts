import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, readCommandLine } from '../src/server/cli-options';

describe('readCommandLine', () => {
  it('defaults to port 3000 on this machine only', () => {
    expect(readCommandLine([], {})).toEqual({
      port: DEFAULT_PORT,
      host: DEFAULT_HOST,
      instances: 1,
      redisUrl: undefined,
    });
    expect(DEFAULT_PORT).toBe(3000);
  });

  it('reads PORT and HOST from the environment', () => {
    expect(readCommandLine([], { PORT: '4000', HOST: '0.0.0.0' })).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
    });
  });

  it('prefers --port over PORT, in both spellings', () => {
    expect(readCommandLine(['--port', '5000'], { PORT: '4000' }).port).toBe(5000);
    expect(readCommandLine(['--port=5001'], { PORT: '4000' }).port).toBe(5001);
    expect(readCommandLine(['--host', '::1'], {}).host).toBe('::1');
  });

  it('refuses a port that is not an integer from 0 to 65535, saying what it got', () => {
    expect(() => readCommandLine(['--port', 'abc'], {})).toThrow(
      /port must be an integer from 0 to 65535, got "abc"/,
    );
    expect(() => readCommandLine([], { PORT: '70000' })).toThrow(/got "70000"/);
    expect(() => readCommandLine([], { PORT: '-1' })).toThrow(/got "-1"/);
    expect(() => readCommandLine(['--port'], {})).toThrow(/--port needs a value/);
  });

  it('reads the scale-out mode: --instances, and Redis from --redis or REDIS_URL', () => {
    expect(readCommandLine(['--instances', '2'], { REDIS_URL: 'redis://10.0.0.5:6379' })).toMatchObject({
      instances: 2,
      redisUrl: 'redis://10.0.0.5:6379',
    });
    expect(
      readCommandLine(['--instances=3', '--redis', 'redis://h:1'], { REDIS_URL: 'redis://x:2' }),
    ).toMatchObject({
      instances: 3,
      redisUrl: 'redis://h:1',
    });
    expect(readCommandLine([], { REDIS_URL: '' }).redisUrl).toBeUndefined();
    expect(() => readCommandLine(['--instances', '0'], {})).toThrow(/from 1 to 8, got "0"/);
    expect(() => readCommandLine(['--instances', 'two'], {})).toThrow(/got "two"/);
  });
});
