import { describe, expect, it } from 'vitest';
import * as zc from 'zod';
import * as z from 'zod/mini';
import { appEvents } from '../test/app-events';
import { appEventsMini } from '../test/app-events-mini';
import { catalogFingerprint, toAsyncAPI, toJSONSchema } from './contract-index';
import { defineEvents, EventValidationError } from './index';

// A browser app may write its catalog with `zod/mini` (a few KB) instead of zod classic: the
// catalog takes any zod 4 schema, and equivalent schemas mean the same contract either way.
describe('a catalog written with zod/mini', () => {
  it('is accepted, with every name and schema', () => {
    expect(appEventsMini.names).toEqual(appEvents.names);
    expect(appEventsMini.has('cart:updated')).toBe(true);
  });

  it('parses and strips unknown keys like a classic catalog', () => {
    expect(appEventsMini.parse('user:joined', { userId: 'u1', name: 'Ada', extra: true })).toEqual({
      userId: 'u1',
      name: 'Ada',
    });
    expect(appEventsMini.safeParse('user:left', { userId: 'u1' })).toEqual({
      success: true,
      data: { userId: 'u1' },
    });
  });

  it('reports the same EventValidationError, paths and message as a classic catalog', () => {
    const bad = {
      items: [
        { name: 'a', qty: 1 },
        { name: 2, qty: 0 },
      ],
    };
    const mini = appEventsMini.safeParse('cart:updated', bad);
    const classic = appEvents.safeParse('cart:updated', bad);
    expect(mini.success).toBe(false);
    expect(classic.success).toBe(false);
    if (mini.success || classic.success) return;
    expect(mini.error).toBeInstanceOf(EventValidationError);
    expect(mini.error.code).toBe('validation-failed');
    expect(mini.error.paths).toEqual(['data.items[1].name', 'data.items[1].qty']);
    expect(mini.error.message).toBe(classic.error.message);
    expect(() => appEventsMini.parse('cart:updated', bad)).toThrow(mini.error.message);
  });

  it('applies transforms and defaults', () => {
    const catalog = defineEvents({
      tick: z.object({
        at: z.pipe(
          z.string(),
          z.transform((s: string) => Number(s)),
        ),
        n: z._default(z.number(), 1),
      }),
    });
    expect(catalog.parse('tick', { at: '42' })).toEqual({ at: 42, n: 1 });
  });

  it('has the fingerprint of the equivalent classic catalog', () => {
    expect(catalogFingerprint(appEventsMini)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(catalogFingerprint(appEventsMini)).toBe(catalogFingerprint(appEvents));
  });

  it('exports the JSON Schema and AsyncAPI document of the equivalent classic catalog', () => {
    expect(toJSONSchema(appEventsMini)).toEqual(toJSONSchema(appEvents));
    const options = { title: 'Shop', version: '1.0.0', path: '/events' };
    expect(toAsyncAPI(appEventsMini, options)).toEqual(toAsyncAPI(appEvents, options));
  });

  it('has a union schema that parses envelopes', () => {
    expect(appEventsMini.schema.parse({ type: 'user:left', data: { userId: 'u' } })).toEqual({
      type: 'user:left',
      data: { userId: 'u' },
    });
    expect(appEventsMini.schema.safeParse({ type: 'user:left', data: { userId: 1 } }).success).toBe(false);
    expect(appEventsMini.schema.safeParse({ type: 'other', data: {} }).success).toBe(false);
  });

  it('may mix classic and mini schemas', () => {
    const catalog = defineEvents({
      a: zc.object({ n: zc.number() }),
      b: z.object({ n: z.number() }),
    });
    expect(catalog.parse('a', { n: 1 })).toEqual({ n: 1 });
    expect(catalog.parse('b', { n: 2 })).toEqual({ n: 2 });
    expect(catalog.schema.safeParse({ type: 'b', data: { n: 'x' } }).success).toBe(false);
    const defs = toJSONSchema(catalog).$defs as Record<string, unknown>;
    expect(defs.a).toEqual(defs.b);
  });
});
