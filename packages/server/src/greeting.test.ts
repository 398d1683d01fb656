import { defineEvents } from '@app/sse-protocol';
import { catalogFingerprint, toContract } from '@app/sse-protocol/contract';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGreeting } from './greeting';

const v1 = defineEvents({ note: z.object({ text: z.string() }) });
const v2 = defineEvents({ note: z.object({ text: z.string(), pinned: z.boolean().optional() }) });
const v3 = defineEvents({ note: z.object({ text: z.string(), level: z.enum(['a', 'b']) }) });

describe('createGreeting', () => {
  it('says only the fingerprint and heartbeat without compatibleWith', () => {
    expect(createGreeting(v2, 1000)).toEqual({ fingerprint: catalogFingerprint(v2), heartbeatMs: 1000 });
  });

  it('lists older catalogs whose clients can read this one, and those it breaks with the first change', () => {
    const newest = defineEvents({
      note: z.object({ text: z.string().max(10), pinned: z.boolean().optional() }),
    });
    expect(
      createGreeting(newest, 0, [toContract(v1), toContract(v2), toContract(v3), toContract(newest)]),
    ).toEqual({
      fingerprint: catalogFingerprint(newest),
      heartbeatMs: 0,
      compatible: [catalogFingerprint(v1), catalogFingerprint(v2)],
      breaking: [
        {
          fingerprint: catalogFingerprint(v3),
          finding: 'note required field $.level was removed: clients built before the change require it',
        },
      ],
    });
  });

  it('refuses what is not a contract with invalid-option', () => {
    expect(() => createGreeting(v1, 0, [{ format: 'nope' } as never])).toThrow(
      expect.objectContaining({
        code: 'invalid-option',
        reason: 'compatibleWith[0] is not a catalog contract: "format" must be "sse-catalog-contract"',
      }),
    );
  });
});
