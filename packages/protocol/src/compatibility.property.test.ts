import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { checkCompatibility } from './compatibility';
import { defineEvents } from './index';

// Random schemas, random changes to them, and random payloads: whatever checkCompatibility calls
// safe in a direction must never make a valid payload fail on the other side.

type Shape =
  | { kind: 'string'; min?: number; max?: number }
  | { kind: 'number'; int: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: string[] }
  | { kind: 'literal'; value: string }
  | { kind: 'nullable'; inner: Shape }
  | { kind: 'array'; item: Shape; max?: number }
  | { kind: 'union'; options: [Shape, Shape] }
  | { kind: 'object'; strict: boolean; fields: Field[] };

interface Field {
  name: string;
  optional: boolean;
  shape: Shape;
}

const NAMES = ['a', 'b', 'c', 'd'];
const WORDS = ['x', 'y', 'z', 'w'];

const leaf: fc.Arbitrary<Shape> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('string' as const),
      min: fc.option(fc.nat(3), { nil: undefined }),
      max: fc.option(fc.integer({ min: 3, max: 8 }), { nil: undefined }),
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    {
      kind: fc.constant('number' as const),
      int: fc.boolean(),
      min: fc.option(fc.integer({ min: -5, max: 0 }), { nil: undefined }),
      max: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    },
    { requiredKeys: ['kind', 'int'] },
  ),
  fc.constant({ kind: 'boolean' as const }),
  fc.record({
    kind: fc.constant('enum' as const),
    values: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('literal' as const), value: fc.constantFrom(...WORDS) }),
);

const { shape } = fc.letrec<{ shape: Shape; object: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('nullable' as const), inner: tie('shape') }),
    fc.record(
      {
        kind: fc.constant('array' as const),
        item: tie('shape'),
        max: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      },
      { requiredKeys: ['kind', 'item'] },
    ),
    fc.record({ kind: fc.constant('union' as const), options: fc.tuple(leaf, leaf) }),
    tie('object'),
  ),
  object: fc.record({
    kind: fc.constant('object' as const),
    strict: fc.boolean(),
    fields: fc.uniqueArray(
      fc.record({ name: fc.constantFrom(...NAMES), optional: fc.boolean(), shape: tie('shape') }),
      {
        maxLength: 3,
        selector: (field) => field.name,
      },
    ),
  }),
}));

function toZod(s: Shape): z.ZodType {
  switch (s.kind) {
    case 'string': {
      let schema = z.string();
      if (s.min !== undefined) schema = schema.min(s.min);
      if (s.max !== undefined) schema = schema.max(s.max);
      return schema;
    }
    case 'number': {
      let schema = s.int ? z.int() : z.number();
      if (s.min !== undefined) schema = schema.min(s.min);
      if (s.max !== undefined) schema = schema.max(s.max);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    case 'enum':
      return z.enum(s.values as [string, ...string[]]);
    case 'literal':
      return z.literal(s.value);
    case 'nullable':
      return toZod(s.inner).nullable();
    case 'array': {
      const schema = z.array(toZod(s.item));
      return s.max === undefined ? schema : schema.max(s.max);
    }
    case 'union':
      return z.union([toZod(s.options[0]), toZod(s.options[1])]);
    case 'object': {
      const fields: Record<string, z.ZodType> = {};
      for (const field of s.fields)
        fields[field.name] = field.optional ? toZod(field.shape).optional() : toZod(field.shape);
      return s.strict ? z.strictObject(fields) : z.object(fields);
    }
  }
}

/** Payloads valid under `s` (as a server would send them: parsed output, so no unknown fields). */
function payload(s: Shape): fc.Arbitrary<unknown> {
  switch (s.kind) {
    case 'string':
      return fc.string({ minLength: s.min ?? 0, maxLength: s.max ?? 10 });
    case 'number':
      return s.int
        ? fc.integer({ min: s.min ?? -1000, max: s.max ?? 1000 })
        : fc.double({ min: s.min ?? -1000, max: s.max ?? 1000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...s.values);
    case 'literal':
      return fc.constant(s.value);
    case 'nullable':
      return fc.option(payload(s.inner), { nil: null });
    case 'array':
      return fc.array(payload(s.item), { maxLength: s.max ?? 4 });
    case 'union':
      return fc.oneof(payload(s.options[0]), payload(s.options[1]));
    case 'object': {
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const field of s.fields) record[field.name] = payload(field.shape);
      return fc.record(record, {
        requiredKeys: s.fields.filter((field) => !field.optional).map((field) => field.name),
      });
    }
  }
}

/** One change somewhere in `s`, picked by `choice` (the edits schema authors make). */
function mutate(s: Shape, choice: number[]): Shape {
  const pick = choice[0] ?? 0;
  const rest = choice.slice(1);
  if (s.kind === 'object' && s.fields.length > 0 && pick % 7 < 4) {
    const index = pick % s.fields.length;
    const field = s.fields[index] as Field;
    const fields = [...s.fields];
    switch ((pick >> 3) % 4) {
      case 0:
        fields[index] = { ...field, optional: !field.optional };
        break;
      case 1:
        fields.splice(index, 1);
        break;
      default:
        fields[index] = { ...field, shape: mutate(field.shape, rest) };
    }
    return { ...s, fields };
  }
  switch (s.kind) {
    case 'object': {
      const name = NAMES.find((candidate) => !s.fields.some((field) => field.name === candidate));
      if (pick % 3 === 0 || name === undefined) return { ...s, strict: !s.strict };
      return { ...s, fields: [...s.fields, { name, optional: pick % 2 === 0, shape: { kind: 'boolean' } }] };
    }
    case 'string': {
      if (pick % 3 === 0) return { kind: 'number', int: false };
      const min = pick % 2 === 0 ? Math.min((s.min ?? 0) + 1, s.max ?? 8) : undefined;
      return { ...s, min, max: pick % 5 === 0 ? undefined : s.max };
    }
    case 'number': {
      if (pick % 3 === 0) return { ...s, int: !s.int };
      const min = pick % 2 === 0 ? (s.min ?? -5) + 1 : undefined;
      const max = pick % 5 === 0 ? undefined : (s.max ?? 5) - 1;
      return min !== undefined && max !== undefined && min > max ? s : { ...s, min, max };
    }
    case 'enum': {
      const missing = WORDS.find((word) => !s.values.includes(word));
      if (pick % 2 === 0 && missing !== undefined) return { ...s, values: [...s.values, missing] };
      return s.values.length > 1 ? { ...s, values: s.values.slice(1) } : { kind: 'string' };
    }
    case 'literal':
      return pick % 2 === 0
        ? { kind: 'enum', values: [s.value, s.value === 'x' ? 'y' : 'x'] }
        : { kind: 'string' };
    case 'nullable':
      return pick % 2 === 0 ? s.inner : { kind: 'nullable', inner: mutate(s.inner, rest) };
    case 'array':
      return pick % 2 === 0
        ? { ...s, max: s.max === undefined ? 2 : undefined }
        : { ...s, item: mutate(s.item, rest) };
    case 'union':
      return pick % 2 === 0
        ? s.options[0]
        : { kind: 'union', options: [s.options[0], mutate(s.options[1], rest)] };
    case 'boolean':
      return pick % 2 === 0 ? { kind: 'nullable', inner: s } : { kind: 'string' };
  }
}

const change = fc
  .tuple(shape, fc.array(fc.nat(1000), { minLength: 1, maxLength: 4 }))
  .map(([before, choice]) => ({ before, after: mutate(before, choice) }));

const catalogOf = (s: Shape) => defineEvents({ event: toZod(s) });

describe('checkCompatibility on random schemas and changes', () => {
  /**
   * When the check calls a change safe in `mode`, payloads of the writing side (the previous
   * schema for backward, the next one for forward) all pass the reading side.
   */
  function safeMeansAccepted(mode: 'backward' | 'forward', seed: number): void {
    fc.assert(
      fc.property(
        change.chain(({ before, after }) =>
          fc.tuple(
            fc.constant(before),
            fc.constant(after),
            fc.array(payload(mode === 'backward' ? before : after), { minLength: 1, maxLength: 8 }),
          ),
        ),
        ([before, after, payloads]) => {
          if (!checkCompatibility(catalogOf(before), catalogOf(after), { mode }).compatible) return;
          const reader = toZod(mode === 'backward' ? after : before);
          for (const value of payloads)
            expect(reader.safeParse(value).success, JSON.stringify(value)).toBe(true);
        },
      ),
      { numRuns: 1000, seed },
    );
  }

  it('backward: when it says safe, every payload of the previous schema passes the next one', () => {
    safeMeansAccepted('backward', 20261204);
  });

  it('forward: when it says safe, every payload of the next schema passes the previous one', () => {
    safeMeansAccepted('forward', 20261205);
  });

  it('calls an unchanged schema compatible, and a fair share of real changes safe in each direction', () => {
    const samples = fc.sample(change, { numRuns: 400, seed: 7 });
    let backward = 0;
    let forward = 0;
    for (const { before, after } of samples) {
      expect(checkCompatibility(catalogOf(before), catalogOf(before)).findings).toEqual([]);
      if (checkCompatibility(catalogOf(before), catalogOf(after), { mode: 'backward' }).compatible)
        backward++;
      if (checkCompatibility(catalogOf(before), catalogOf(after), { mode: 'forward' }).compatible) forward++;
    }
    // Not a vacuous pass: the properties above were exercised on many changes judged safe.
    expect(backward).toBeGreaterThan(60);
    expect(forward).toBeGreaterThan(60);
  });
});
