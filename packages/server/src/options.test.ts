import { defineEvents } from '@app/sse-protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmitter } from './emitter';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_RETRY_MS,
  resolveOptions,
} from './options';

const events = defineEvents({ ping: z.object({}) });

describe('options', () => {
  it('applies the documented defaults', () => {
    expect(resolveOptions({ events })).toMatchObject({
      heartbeatMs: DEFAULT_HEARTBEAT_MS,
      retryMs: DEFAULT_RETRY_MS,
      maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
      maxClients: Number.POSITIVE_INFINITY,
      maxClientsPerUser: Number.POSITIVE_INFINITY,
    });
    expect([DEFAULT_HEARTBEAT_MS, DEFAULT_RETRY_MS, DEFAULT_MAX_BUFFERED_BYTES]).toEqual([
      15_000,
      3000,
      1 << 20,
    ]);
  });

  it('refuses options that cannot work with a typed error naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ heartbeatMs: -1 }, 'heartbeatMs'],
      [{ heartbeatMs: 2 ** 31 }, 'heartbeatMs'],
      [{ retryMs: 1.5 }, 'retryMs'],
      [{ maxBufferedBytes: 0 }, 'maxBufferedBytes'],
      [{ maxClients: -1 }, 'maxClients'],
      [{ maxClientsPerUser: Number.NaN }, 'maxClientsPerUser'],
      [{ onError: 'log' }, 'onError'],
      [{ meter: {} }, 'meter'],
      [{ replay: { maxEvents: -1 } }, 'maxEvents'],
    ];
    for (const [extra, name] of cases) {
      expect(() => createEmitter({ events, ...extra })).toThrow(
        expect.objectContaining({ code: 'invalid-option', message: expect.stringContaining(name) }),
      );
    }
    expect(() => createEmitter({} as never)).toThrow('@app/sse-server: createEmitter() needs { events }');
  });

  it('refuses a close() retry that is not a non-negative integer', async () => {
    const emitter = createEmitter({ events });
    await expect(emitter.close({ retryMs: -1 })).rejects.toMatchObject({ code: 'invalid-option' });
    await emitter.close();
  });
});
