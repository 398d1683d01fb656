import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type CompatibilityFinding, checkCompatibility } from './compatibility';
import { catalogFingerprint, readContract, toContract } from './contract-index';
import { defineEvents } from './index';

/** The findings of changing one event's schema from `before` to `after`, as compact rows. */
function changes(before: z.ZodType, after: z.ZodType) {
  const result = checkCompatibility(defineEvents({ e: before }), defineEvents({ e: after }));
  return result.findings.map((finding) => [
    finding.path,
    finding.kind,
    [...finding.breaks].sort().join('+') || 'safe',
  ]);
}

describe('checkCompatibility: each kind of change', () => {
  const cases: [string, z.ZodType, z.ZodType, string[][]][] = [
    [
      'optional field added',
      z.object({ a: z.string() }),
      z.object({ a: z.string(), b: z.string().optional() }),
      [['$.b', 'optional-field-added', 'safe']],
    ],
    [
      'optional field removed',
      z.object({ a: z.string(), b: z.string().optional() }),
      z.object({ a: z.string() }),
      [['$.b', 'optional-field-removed', 'safe']],
    ],
    [
      'required field added',
      z.object({ a: z.string() }),
      z.object({ a: z.string(), b: z.string() }),
      [['$.b', 'required-field-added', 'backward']],
    ],
    [
      'required field added with a default',
      z.object({ a: z.string() }),
      z.object({ a: z.string(), b: z.string().default('x') }),
      [['$.b', 'optional-field-added', 'safe']],
    ],
    [
      'required field removed',
      z.object({ a: z.string(), b: z.string() }),
      z.object({ a: z.string() }),
      [['$.b', 'required-field-removed', 'forward']],
    ],
    [
      'optional made required',
      z.object({ a: z.string().optional() }),
      z.object({ a: z.string() }),
      [['$.a', 'optional-made-required', 'backward']],
    ],
    [
      'required made optional',
      z.object({ a: z.string() }),
      z.object({ a: z.string().optional() }),
      [['$.a', 'required-made-optional', 'forward']],
    ],
    [
      'field added to a strict object',
      z.strictObject({ a: z.string() }),
      z.strictObject({ a: z.string(), b: z.string().optional() }),
      [['$.b', 'field-added', 'forward']],
    ],
    [
      'field removed from a strict object',
      z.strictObject({ a: z.string(), b: z.string().optional() }),
      z.strictObject({ a: z.string() }),
      [['$.b', 'field-removed', 'backward']],
    ],
    [
      'type narrowed',
      z.object({ a: z.string().nullable() }),
      z.object({ a: z.string() }),
      [['$.a', 'type-narrowed', 'backward']],
    ],
    [
      'type widened',
      z.object({ a: z.int() }),
      z.object({ a: z.number() }),
      [
        ['$.a', 'type-widened', 'forward'],
        ['$.a', 'constraint-loosened', 'forward'],
      ],
    ],
    [
      'type changed',
      z.object({ a: z.string() }),
      z.object({ a: z.number() }),
      [['$.a', 'type-changed', 'backward+forward']],
    ],
    [
      'enum value removed',
      z.object({ s: z.enum(['a', 'b']) }),
      z.object({ s: z.enum(['a']) }),
      [['$.s', 'enum-value-removed', 'backward']],
    ],
    [
      'enum value added',
      z.object({ s: z.enum(['a']) }),
      z.object({ s: z.enum(['a', 'b']) }),
      [['$.s', 'enum-value-added', 'forward']],
    ],
    [
      'constraint tightened',
      z.object({ n: z.number().max(10) }),
      z.object({ n: z.number().max(5) }),
      [['$.n', 'constraint-tightened', 'backward']],
    ],
    [
      'constraint loosened',
      z.object({ s: z.string().max(5) }),
      z.object({ s: z.string().max(10) }),
      [['$.s', 'constraint-loosened', 'forward']],
    ],
    [
      'pattern changed',
      z.object({ s: z.string().regex(/^a/) }),
      z.object({ s: z.string().regex(/^b/) }),
      [
        ['$.s', 'constraint-tightened', 'backward'],
        ['$.s', 'constraint-loosened', 'forward'],
      ],
    ],
    [
      'nested field, in an array',
      z.object({ list: z.array(z.object({ id: z.string() })) }),
      z.object({ list: z.array(z.object({ id: z.number() })) }),
      [['$.list[*].id', 'type-changed', 'backward+forward']],
    ],
    ['description only', z.object({ a: z.string() }), z.object({ a: z.string().describe('the name') }), []],
    [
      'field order only',
      z.object({ a: z.string(), b: z.number() }),
      z.object({ b: z.number(), a: z.string() }),
      [],
    ],
  ];
  it.each(cases)('%s', (_name, before, after, expected) => {
    expect(changes(before, after)).toEqual(expected);
  });

  it('reports an event removed as breaking backward (replays), an event added as safe', () => {
    const v1 = defineEvents({ kept: z.object({}), dropped: z.object({}) });
    const v2 = defineEvents({ kept: z.object({}), added: z.object({}) });
    const result = checkCompatibility(v1, v2);
    expect(result.findings.map((finding) => [finding.event, finding.kind, finding.breaks])).toEqual([
      ['dropped', 'event-removed', ['backward']],
      ['added', 'event-added', []],
    ]);
  });

  it('judges the mode asked for', () => {
    const v1 = defineEvents({ e: z.object({ s: z.enum(['a']) }) });
    const v2 = defineEvents({ e: z.object({ s: z.enum(['a', 'b']) }) });
    expect(checkCompatibility(v1, v2, { mode: 'backward' }).compatible).toBe(true);
    expect(checkCompatibility(v1, v2, { mode: 'forward' }).compatible).toBe(false);
    expect(checkCompatibility(v1, v2, { mode: 'full' }).compatible).toBe(false);
    expect(checkCompatibility(v1, v2).mode).toBe('full');
  });

  it('gives each finding a message and a fix', () => {
    const v1 = defineEvents({ e: z.object({ a: z.string() }) });
    const v2 = defineEvents({ e: z.object({ a: z.number() }) });
    const [finding] = checkCompatibility(v1, v2).findings as [CompatibilityFinding];
    expect(finding.message).toBe('$.a changed type (string -> number)');
    expect(finding.fix).toMatch(/new event name/);
  });

  it('follows recursive schemas without looping', () => {
    interface Node {
      name: string;
      children: Node[];
    }
    const node: z.ZodType<Node> = z.object({ name: z.string(), children: z.array(z.lazy(() => node)) });
    const v1 = defineEvents({ tree: node });
    expect(checkCompatibility(v1, v1).findings).toEqual([]);
  });
});

describe('contracts', () => {
  it('compares a saved contract (JSON round trip) exactly like the catalog it was written from', () => {
    const v1 = defineEvents({ e: z.object({ a: z.string(), when: z.iso.datetime() }) });
    const v2 = defineEvents({ e: z.object({ a: z.string(), when: z.iso.datetime(), b: z.int() }) });
    const saved = JSON.parse(JSON.stringify(toContract(v1)));
    expect(checkCompatibility(saved, v2)).toEqual(checkCompatibility(v1, v2));
    expect(saved).toMatchObject({
      format: 'sse-catalog-contract',
      version: 1,
      fingerprint: catalogFingerprint(v1),
    });
  });

  it('refuses what is not a contract, with a reason', () => {
    expect(() => readContract({ format: 'other' })).toThrow(/not a catalog contract: "format" must be/);
    expect(() => readContract({ format: 'sse-catalog-contract', version: 2 })).toThrow(
      /version 2 is not supported/,
    );
    expect(() =>
      checkCompatibility(
        { format: 'sse-catalog-contract', version: 1, fingerprint: 'x', events: { e: {} } } as never,
        defineEvents({ e: z.object({}) }),
      ),
    ).toThrow(/event "e" needs "output" and "input"/);
  });
});
