import { describe, expect, it, vi } from 'vitest';
import { listen, seededRandom, settle, settleUntil, waitFor } from '../src/index';

describe('waitFor', () => {
  it('returns once the assertion passes', async () => {
    let checks = 0;
    await waitFor(() => {
      checks++;
      expect(checks).toBe(3);
    });
    expect(checks).toBe(3);
  });

  it('fails with the last assertion error (its diff), not a bare timeout', async () => {
    const failure = await waitFor(() => expect({ clients: 1 }).toEqual({ clients: 0 }), {
      timeoutMs: 50,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('expected { clients: 1 } to deeply equal { clients: +0 }');
  });
});

describe('settle', () => {
  it('runs callbacks queued by I/O turns before it', async () => {
    const ran: string[] = [];
    setImmediate(() => setImmediate(() => ran.push('two turns later')));
    await settle(3);
    expect(ran).toEqual(['two turns later']);
  });
});

describe('settleUntil', () => {
  it('passes once I/O turns make the assertion true, with the clock faked and left alone', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    try {
      const before = Date.now();
      let value = 0;
      setImmediate(() => setImmediate(() => value++));
      await settleUntil(() => expect(value).toBe(1));
      expect(Date.now()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails with the assertion diff after its turns', async () => {
    const failure = await settleUntil(() => expect([1]).toEqual([2]), 3).catch((error: unknown) => error);
    expect((failure as Error).message).toContain('expected [ 1 ] to deeply equal [ 2 ]');
  });
});

describe('seededRandom', () => {
  it('gives the same numbers in [0, 1) for the same seed, others for another', () => {
    const draw = (seed: number) => Array.from({ length: 100 }, seededRandom(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('listen', () => {
  it('serves on a free loopback port and counts requests', async () => {
    const server = await listen((_req, res) => res.end('ok'));
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(server.origin)).text()).toBe('ok');
    expect(server.requests).toBe(1);
    await server.close();
    expect(server.server.listening).toBe(false);
  });
});
