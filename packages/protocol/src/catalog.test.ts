import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appEvents } from '../test/app-events';
import { toContract } from './contract-index';
import * as runtime from './index';
import { defineEvents, EventValidationError, isEventCatalog, isEventValidationError } from './index';

describe('defineEvents', () => {
  it('lists the names in definition order and keeps every schema', () => {
    expect(appEvents.names).toEqual(['user:joined', 'user:left', 'notification', 'cart:updated']);
    expect(Object.keys(appEvents.events)).toEqual(appEvents.names);
    expect(appEvents.events.notification.safeParse({ message: 'm', severity: 'info' }).success).toBe(true);
  });

  it('is immutable', () => {
    expect(Object.isFrozen(appEvents)).toBe(true);
    expect(Object.isFrozen(appEvents.events)).toBe(true);
    expect(Object.isFrozen(appEvents.names)).toBe(true);
  });

  it('does not see later changes to the object it was given', () => {
    const schemas: Record<string, z.ZodType> = { a: z.string() };
    const catalog = defineEvents(schemas);
    schemas.b = z.number();
    expect(catalog.names).toEqual(['a']);
    expect(catalog.has('b')).toBe(false);
  });

  it('tells which names it defines, own properties only', () => {
    expect(appEvents.has('user:left')).toBe(true);
    expect(appEvents.has('nope')).toBe(false);
    expect(appEvents.has('toString')).toBe(false);
    expect(appEvents.has('__proto__')).toBe(false);
  });

  it('refuses a value that is not a zod schema', () => {
    expect(() => defineEvents({ a: { parse: (x: unknown) => x } as never })).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
    expect(() => defineEvents({ a: { parse: (x: unknown) => x } as never })).toThrow(
      /"a" is not a zod schema/,
    );
    expect(() => defineEvents({ a: undefined as never })).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
  });

  it('refuses an empty catalog and a non-object', () => {
    expect(() => defineEvents({})).toThrow(/at least one event/);
    expect(() => defineEvents(null as never)).toThrow(expect.objectContaining({ code: 'invalid-option' }));
    expect(() => defineEvents('events' as never)).toThrow(
      expect.objectContaining({ code: 'invalid-option' }),
    );
  });
});

describe('catalog.parse and catalog.safeParse', () => {
  it('return the parsed data (output type, unknown keys stripped)', () => {
    expect(appEvents.parse('user:joined', { userId: 'u1', name: 'Ada', extra: true })).toEqual({
      userId: 'u1',
      name: 'Ada',
    });
    expect(appEvents.safeParse('user:left', { userId: 'u1' })).toEqual({
      success: true,
      data: { userId: 'u1' },
    });
  });

  it('apply transforms and defaults', () => {
    const catalog = defineEvents({
      tick: z.object({ at: z.string().transform((s) => Number(s)), n: z.number().default(1) }),
    });
    expect(catalog.parse('tick', { at: '42' })).toEqual({ at: 42, n: 1 });
  });

  it('throw an EventValidationError naming the event and each failing path', () => {
    let caught: unknown;
    try {
      appEvents.parse('cart:updated', {
        items: [
          { name: 'a', qty: 1 },
          { name: 2, qty: 0 },
        ],
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EventValidationError);
    expect(isEventValidationError(caught)).toBe(true);
    const error = caught as EventValidationError;
    expect(error.code).toBe('validation-failed');
    expect(error.event).toBe('cart:updated');
    expect(error.paths).toEqual(['data.items[1].name', 'data.items[1].qty']);
    expect(error.cause.map((issue) => issue.path)).toEqual([
      ['items', 1, 'name'],
      ['items', 1, 'qty'],
    ]);
  });

  it('safeParse returns the same error instead of throwing', () => {
    const result = appEvents.safeParse('notification', { message: 'm', severity: 'fatal' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toBeInstanceOf(EventValidationError);
    expect(result.error.paths).toEqual(['data.severity']);
    expect(() => appEvents.parse('notification', { message: 'm', severity: 'fatal' })).toThrow(
      result.error.message,
    );
  });

  it('reports an event the catalog does not define as unknown-event', () => {
    const result = appEvents.safeParse('nope' as never, {});
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('unknown-event');
    expect(result.error.event).toBe('nope');
    expect(result.error.message).toBe(
      '@app/sse-protocol: unknown event "nope": the catalog does not define it',
    );
    expect(result.error.cause).toEqual([]);
    expect(() => appEvents.parse('toString' as never, {})).toThrow(/unknown event "toString"/);
  });
});

describe('catalog.schema', () => {
  it('is a discriminated union on type over every { type, data } envelope', () => {
    const def = (appEvents.schema as unknown as z.ZodDiscriminatedUnion).def;
    expect(def.type).toBe('union');
    expect(def.discriminator).toBe('type');
    expect(def.options).toHaveLength(appEvents.names.length);
  });

  it('accepts each envelope and refuses unknown types, wrong data and missing fields', () => {
    expect(appEvents.schema.parse({ type: 'user:left', data: { userId: 'u' } })).toEqual({
      type: 'user:left',
      data: { userId: 'u' },
    });
    expect(appEvents.schema.safeParse({ type: 'user:left', data: { userId: 1 } }).success).toBe(false);
    expect(
      appEvents.schema.safeParse({ type: 'user:left', data: { message: 'm', severity: 'info' } }).success,
    ).toBe(false);
    expect(
      appEvents.schema.safeParse({ type: 'notification', data: { message: 'm', severity: 'info' } }).success,
    ).toBe(true);
    expect(appEvents.schema.safeParse({ type: 'other', data: {} }).success).toBe(false);
    expect(appEvents.schema.safeParse({ data: { userId: 'u' } }).success).toBe(false);
    expect(appEvents.schema.safeParse('user:left').success).toBe(false);
  });
});

describe('isEventCatalog', () => {
  it('tells a catalog from its contract, its schema map and other values', () => {
    expect(isEventCatalog(appEvents)).toBe(true);
    expect(isEventCatalog({ ...appEvents })).toBe(true); // another copy of the package: same shape
    expect(isEventCatalog(toContract(appEvents))).toBe(false);
    expect(isEventCatalog(appEvents.events)).toBe(false);
    expect(isEventCatalog({ ...appEvents, events: null })).toBe(false);
    for (const value of [null, undefined, 'catalog', 42, [], () => {}])
      expect(isEventCatalog(value)).toBe(false);
  });
});

describe('the runtime entry point', () => {
  it('leaves the contract functions to @app/sse-protocol/contract, so browser bundles do not carry them', () => {
    const names = Object.keys(runtime);
    for (const name of [
      'catalogFingerprint',
      'toJSONSchema',
      'toAsyncAPI',
      'toContract',
      'checkCompatibility',
    ])
      expect(names).not.toContain(name);
    expect(Object.keys(appEvents)).not.toContain('fingerprint');
  });
});
