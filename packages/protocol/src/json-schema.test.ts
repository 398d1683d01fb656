import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appEvents } from '../test/app-events';
import { toJSONSchema } from './contract-index';
import { defineEvents, type EventCatalog } from './index';

/** Compiles the catalog's JSON Schema with a real draft 2020-12 validator (strict: unknown keywords fail). */
function validatorOf(catalog: EventCatalog) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(toJSONSchema(catalog));
}

const Node = z.object({
  name: z.string(),
  get children() {
    return z.array(Node);
  },
});
const Money = z.object({ amount: z.number(), currency: z.string().length(3) }).meta({ id: 'Money' });
// Names that need escaping in a JSON Pointer (`/`, `~`) and in a URI fragment (space, %, unicode).
const tricky = defineEvents({
  'orders/created': z.object({ total: Money, refund: Money.optional() }),
  'a~b c%d': z.object({ ok: z.boolean() }),
  'événement 😀': z.object({ tree: Node }),
});

describe('catalog.toJSONSchema', () => {
  it('is a draft 2020-12 oneOf of { type, data } envelopes with each data schema in $defs', () => {
    const schema = toJSONSchema(appEvents);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.$defs as object)).toEqual(appEvents.names);
    const oneOf = schema.oneOf as {
      properties: { type: { const: string }; data: { $ref: string } };
      required: string[];
    }[];
    expect(oneOf.map((member) => member.properties.type.const)).toEqual(appEvents.names);
    for (const member of oneOf) {
      expect(member.required).toEqual(['type', 'data']);
      expect(member).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect((schema.$defs as Record<string, unknown>).notification).toEqual({
      type: 'object',
      properties: {
        message: { type: 'string' },
        severity: { type: 'string', enum: ['info', 'warning', 'error'] },
      },
      required: ['message', 'severity'],
      additionalProperties: false,
    });
  });

  it('compiles in a strict 2020-12 validator and accepts exactly what the catalog accepts', () => {
    const validate = validatorOf(appEvents);
    const samples: [string, unknown][] = [
      ['user:joined', { userId: 'u1', name: 'Ada' }],
      ['user:joined', { userId: 'u1' }],
      ['user:left', { userId: 'u1' }],
      ['user:left', { userId: 1 }],
      ['notification', { message: 'm', severity: 'warning' }],
      ['notification', { message: 'm', severity: 'fatal' }],
      ['cart:updated', { items: [{ name: 'a', qty: 2 }] }],
      ['cart:updated', { items: [{ name: 'a', qty: 0 }] }],
      ['cart:updated', { items: [{ name: 'a', qty: 1.5 }], coupon: 'X' }],
      ['cart:updated', { items: [], coupon: 3 }],
    ];
    for (const [type, data] of samples) {
      const result = appEvents.safeParse(type as never, data);
      const label = `${type} ${JSON.stringify(data)}`;
      if (result.success) expect(validate({ type, data: result.data }), label).toBe(true);
      else expect(validate({ type, data }), label).toBe(false);
    }
    expect(validate({ type: 'unknown', data: {} })).toBe(false);
    expect(validate({ type: 'user:left', data: { userId: 'u' }, extra: 1 })).toBe(false);
    expect(validate({ type: 'user:left' })).toBe(false);
  });

  // The schema describes data as it travels: the parse output (zod strips unknown keys, hence
  // `additionalProperties: false`). What the catalog accepts, once parsed, the schema accepts; what
  // the catalog refuses, the schema refuses.
  it('agrees with catalog.safeParse on random payloads', () => {
    const validate = validatorOf(appEvents);
    const payload = fc.record({
      type: fc.constantFrom(...appEvents.names),
      data: fc.oneof(
        fc.record({ userId: fc.oneof(fc.string(), fc.integer()), name: fc.string() }, { requiredKeys: [] }),
        fc.record(
          { message: fc.string(), severity: fc.constantFrom('info', 'warning', 'error', 'other') },
          { requiredKeys: [] },
        ),
        fc.record({
          items: fc.array(
            fc.record({
              name: fc.string(),
              qty: fc.oneof(
                fc.integer({ min: -2, max: 3 }),
                fc.double({ noNaN: true, noDefaultInfinity: true }),
              ),
            }),
          ),
        }),
      ),
    });
    fc.assert(
      fc.property(payload, ({ type, data }) => {
        const result = appEvents.safeParse(type, data);
        if (result.success) expect(validate({ type, data: result.data })).toBe(true);
        else expect(validate({ type, data })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an event or a field named __proto__', () => {
    const document = toJSONSchema(defineEvents({ ['__proto__']: z.object({ ['__proto__']: z.number() }) }));
    const defs = document.$defs as Record<string, unknown>;
    expect(Object.keys(defs)).toEqual(['__proto__']);
    const data = Object.getOwnPropertyDescriptor(defs, '__proto__')?.value as { properties: object };
    expect(Object.keys(data.properties)).toEqual(['__proto__']);
    expect(JSON.stringify(document)).toContain(
      '"$defs":{"__proto__":{"type":"object","properties":{"__proto__":',
    );
  });

  it('resolves references for names that need escaping, and for recursive and shared schemas', () => {
    const validate = validatorOf(tricky);
    expect(validate({ type: 'orders/created', data: { total: { amount: 1, currency: 'EUR' } } })).toBe(true);
    expect(validate({ type: 'orders/created', data: { total: { amount: 1, currency: 'EURO' } } })).toBe(
      false,
    );
    expect(
      validate({
        type: 'orders/created',
        data: { total: { amount: 1, currency: 'EUR' }, refund: { amount: 'x', currency: 'EUR' } },
      }),
    ).toBe(false);
    expect(validate({ type: 'a~b c%d', data: { ok: true } })).toBe(true);
    expect(validate({ type: 'a~b c%d', data: { ok: 'yes' } })).toBe(false);
    const tree = { name: 'root', children: [{ name: 'leaf', children: [] }] };
    expect(validate({ type: 'événement 😀', data: { tree } })).toBe(true);
    expect(
      validate({
        type: 'événement 😀',
        data: { tree: { name: 'root', children: [{ name: 1, children: [] }] } },
      }),
    ).toBe(false);
  });
});
