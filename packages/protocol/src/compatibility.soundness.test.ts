import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { checkCompatibility } from './compatibility';
import { toContract } from './contract-index';
import { defineEvents } from './index';

// Each verdict is proved against zod itself: a payload the writing side publishes (parsed, then
// sent as JSON) and the reading side's parse of it. A change the check calls safe must never have
// such a payload rejected; the changes below have one, so the check must call them breaking.

type Direction = 'backward' | 'forward';

/** What the check says of changing event `e` from `before` to `after`. */
function breaks(before: z.ZodType, after: z.ZodType): Direction[] {
  const result = checkCompatibility(defineEvents({ e: before }), defineEvents({ e: after }));
  return [...new Set(result.findings.flatMap((finding) => finding.breaks))].sort();
}

/** Whether `reader` rejects `sample` as `writer` publishes it (its output, through JSON). */
function rejects(writer: z.ZodType, reader: z.ZodType, sample: unknown): boolean {
  const sent = JSON.parse(JSON.stringify(writer.parse(sample)));
  return !reader.safeParse(sent).success;
}

/** Asserts that a payload of the previous schema really fails the next, and that the check says so. */
function expectBackwardBreak(before: z.ZodType, after: z.ZodType, sample: unknown): void {
  expect(rejects(before, after, sample), 'the payload really is rejected').toBe(true);
  expect(breaks(before, after)).toContain('backward');
}

describe('checkCompatibility: recursive schemas', () => {
  interface List {
    v: number;
    next: List | null;
  }
  const list = (): z.ZodType<List> => {
    const node: z.ZodType<List> = z.object({ v: z.number(), next: z.lazy(() => node.nullable()) });
    return node;
  };
  type Json = string | number | Json[] | { [key: string]: Json };
  const json = (): z.ZodType<Json> => {
    const value: z.ZodType<Json> = z.lazy(() =>
      z.union([z.string(), z.number(), z.array(value), z.record(z.string(), value)]),
    );
    return value;
  };

  it('follows recursion through .nullable() and unions without overflowing the stack', () => {
    expect(breaks(list(), list())).toEqual([]);
    expect(breaks(json(), json())).toEqual([]);
    const withField = z.object({
      v: z.number(),
      w: z.string().optional(),
      next: z.lazy(() => list().nullable()),
    });
    expect(breaks(list(), withField)).toEqual([]);
  });

  it('finds a change deep in a recursive union', () => {
    interface Text {
      v: string;
      next: Text | null;
    }
    const text: z.ZodType<Text> = z.object({ v: z.string(), next: z.lazy(() => text.nullable()) });
    expectBackwardBreak(list(), text, { v: 1, next: { v: 2, next: null } });
    expect(breaks(json(), z.union([z.string(), z.array(json())]))).toEqual(['backward']);
  });

  it('checks each inline node against a recursive one (not only the first)', () => {
    interface Tree {
      id: string;
      children?: Tree[];
    }
    const tree: z.ZodType<Tree> = z.object({
      id: z.string(),
      children: z.array(z.lazy(() => tree)).optional(),
    });
    const before = z.object({ a: z.object({ id: z.string() }), b: z.object({ id: z.number() }) });
    const after = z.object({ a: tree, b: tree });
    expectBackwardBreak(before, after, { a: { id: 'x' }, b: { id: 1 } });
  });
});

describe('checkCompatibility: what JSON Schema cannot say', () => {
  const cases: [string, z.ZodType, z.ZodType, unknown][] = [
    ['a refinement added', z.string(), z.string().refine((s) => s.length > 3), 'ab'],
    [
      'a superRefine on an object',
      z.object({ a: z.string() }),
      z.object({ a: z.string() }).superRefine((_, ctx) => ctx.addIssue({ code: 'custom', message: 'no' })),
      { a: 'x' },
    ],
    ['a pipe into a stricter schema', z.string(), z.string().pipe(z.string().min(3)), 'x'],
    ['a preprocess', z.number(), z.preprocess((value) => value, z.number().int()), 1.5],
    ['a rewrite before a bound (trim, then min)', z.string(), z.string().trim().min(3), ' a '],
    ['z.date()', z.string(), z.date(), 'x'],
    ['z.custom()', z.string(), z.custom<number>((value) => typeof value === 'number'), 'x'],
    ['z.instanceof()', z.string(), z.instanceof(Date), 'x'],
    ['z.nan()', z.number(), z.nan(), 1],
    ['z.map()', z.object({}), z.map(z.string(), z.string()), {}],
    ['z.set()', z.array(z.string()), z.set(z.string()), ['a']],
    ['z.symbol()', z.string(), z.symbol(), 'x'],
    ['z.undefined()', z.object({ a: z.string().optional() }), z.object({ a: z.undefined() }), { a: 'x' }],
  ];
  it.each(cases)('%s breaks backward', (_name, before, after, sample) => {
    expectBackwardBreak(before, after, sample);
  });

  it('reports such a change as schema-changed, saying what zod checks there', () => {
    const result = checkCompatibility(
      defineEvents({ e: z.object({ n: z.string() }) }),
      defineEvents({ e: z.object({ n: z.string().refine((s) => s.length > 3) }) }),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({ path: '$.n', kind: 'schema-changed', breaks: ['backward'] }),
    ]);
    expect(result.findings[0]?.message).toMatch(/zod checks more there than its JSON Schema says \(refine\)/);
  });

  it('marks those nodes in the contract', () => {
    const contract = toContract(
      defineEvents({ e: z.object({ n: z.string().refine(() => true), d: z.date() }) }),
    );
    expect(contract.events.e?.input).toMatchObject({
      properties: { n: { type: 'string', 'x-sse-unchecked': 'refine' }, d: { 'x-sse-unchecked': 'date' } },
    });
  });

  it('raises no alarm when they did not change', () => {
    const refined = () => z.string().refine((s) => s.length > 3);
    const dated = () => z.date().optional();
    const piped = () => z.string().pipe(z.string().min(3));
    expect(breaks(z.object({ n: refined() }), z.object({ n: refined() }))).toEqual([]);
    expect(breaks(z.object({ d: dated() }), z.object({ d: dated() }))).toEqual([]);
    expect(breaks(z.object({ p: piped() }), z.object({ p: piped() }))).toEqual([]);
    // Another field changed: the untouched refinement and date raise nothing.
    expect(
      breaks(
        z.object({ n: refined(), d: dated() }),
        z.object({ n: refined(), d: dated(), extra: z.string().optional() }),
      ),
    ).toEqual([]);
  });
});

describe('checkCompatibility: intersections, exclusive unions, record keys', () => {
  it('keeps every bound of an intersection', () => {
    expectBackwardBreak(z.number().min(0), z.intersection(z.number().min(0), z.number().min(5)), 1);
    expect(breaks(z.intersection(z.number().min(0), z.number().max(5)), z.number().min(0).max(5))).toEqual(
      [],
    );
  });

  it('takes a oneOf (z.xor) to reject a value that passes two members', () => {
    const before = z.object({ a: z.string(), b: z.string() });
    const after = z.xor([z.object({ a: z.string() }), z.object({ b: z.string() })]);
    expectBackwardBreak(before, after, { a: 'x', b: 'y' });
  });

  it('still calls safe a oneOf whose members cannot overlap (discriminated unions, closed objects)', () => {
    const a = z.object({ t: z.literal('a'), x: z.string() });
    const b = z.object({ t: z.literal('b') });
    const c = z.object({ t: z.literal('c') });
    expect(breaks(z.discriminatedUnion('t', [a, b]), z.discriminatedUnion('t', [a, b, c]))).toEqual([
      'forward',
    ]);
    const xor = () => z.xor([z.object({ a: z.string() }), z.object({ b: z.string() })]);
    expect(breaks(z.object({ u: xor() }), z.object({ u: xor(), extra: z.string().optional() }))).toEqual([]);
  });

  it('compares the keys a record accepts', () => {
    expectBackwardBreak(z.record(z.string(), z.number()), z.record(z.string().regex(/^a/), z.number()), {
      b: 1,
    });
    expectBackwardBreak(z.record(z.string(), z.number()), z.partialRecord(z.enum(['a']), z.number()), {
      b: 1,
    });
    const keys = (values: [string, ...string[]]) => z.partialRecord(z.enum(values), z.number());
    expect(breaks(keys(['a']), keys(['a', 'b']))).toEqual(['forward']);
    expect(rejects(keys(['a', 'b']), keys(['a']), { b: 1 })).toBe(true);
  });
});

describe('checkCompatibility: event names', () => {
  const names = (before: Record<string, z.ZodType>, after: Record<string, z.ZodType>) =>
    checkCompatibility(defineEvents(before), defineEvents(after)).findings.map((finding) => [
      finding.event,
      finding.kind,
      finding.breaks,
    ]);

  it('reads only the catalog’s own events, not Object.prototype’s', () => {
    expect(names({ a: z.string(), valueOf: z.string() }, { a: z.string() })).toEqual([
      ['valueOf', 'event-removed', ['backward']],
    ]);
    expect(
      names({ a: z.string() }, { a: z.string(), toString: z.string(), constructor: z.object({}) }),
    ).toEqual([
      ['constructor', 'event-added', []],
      ['toString', 'event-added', []],
    ]);
    const saved = JSON.parse(JSON.stringify(toContract(defineEvents({ a: z.string() }))));
    expect(checkCompatibility(saved, defineEvents({ a: z.string(), toString: z.number() })).compatible).toBe(
      true,
    );
  });

  it('keeps an event or a field named __proto__', () => {
    const event = { ['__proto__']: z.object({ a: z.string() }) };
    expect(Object.keys(toContract(defineEvents(event)).events)).toEqual(['__proto__']);
    expect(names(event, { ['__proto__']: z.object({ a: z.number() }) })).toEqual([
      ['__proto__', 'type-changed', ['backward', 'forward']],
    ]);
    // (zod itself drops such a field when it parses, so this is judged on the contracts alone.)
    const field = (schema: z.ZodType) => ({ e: z.object({ ['__proto__']: schema }) });
    expect(toContract(defineEvents(field(z.string()))).events.e?.output).toMatchObject({
      properties: JSON.parse('{"__proto__":{"type":"string"}}'),
    });
    expect(names(field(z.string()), field(z.number()))).toEqual([
      ['e', 'type-changed', ['backward', 'forward']],
    ]);
  });
});

describe('checkCompatibility: unchanged events', () => {
  it('calls an unchanged event with a transform compatible', () => {
    const trimmed = () => z.object({ a: z.string().transform((s) => s.trim()) });
    expect(breaks(trimmed(), trimmed())).toEqual([]);
    expect(
      checkCompatibility(defineEvents({ e: trimmed() }), defineEvents({ e: trimmed() })).findings,
    ).toEqual([]);
  });

  it('ignores metadata: a .meta() key is no payload change', () => {
    const since = (version: string) => z.object({ a: z.string().meta({ deprecatedSince: version }) });
    expect(breaks(since('1'), since('2'))).toEqual([]);
  });
});

describe('checkCompatibility: every pair of a pool of schemas', () => {
  // Schemas built with what the random-shape property test does not generate, each with payloads
  // it publishes. For every ordered pair, a change called safe backward must let every payload of
  // the first pass the second.
  interface List {
    v: number;
    next: List | null;
  }
  const list: z.ZodType<List> = z.object({ v: z.number(), next: z.lazy(() => list.nullable()) });
  const pool: [z.ZodType, unknown[]][] = [
    [z.string(), ['', 'ab', 'abcd', 'a1']],
    [z.string().min(3), ['abc', 'abcd']],
    [z.string().refine((s) => s.length > 3), ['abcd']],
    [z.string().pipe(z.string().min(2)), ['ab', 'abcd']],
    [z.string().trim().min(2), ['ab', ' abc ']],
    [z.string().regex(/^a/), ['a', 'ab', 'abcd', 'a1']],
    [z.string().regex(/^a/).regex(/1$/), ['a1']],
    [z.number(), [-1, 0, 1.5, 7]],
    [z.number().min(0), [0, 1.5, 7]],
    [z.intersection(z.number().min(0), z.number().max(5)), [0, 1.5]],
    [z.intersection(z.number().min(0), z.number().min(5)), [5, 7]],
    [z.object({ a: z.string() }), [{ a: 'x' }]],
    [z.object({ a: z.string(), b: z.string() }), [{ a: 'x', b: 'y' }]],
    [z.object({ a: z.string() }).and(z.object({ b: z.string() })), [{ a: 'x', b: 'y' }]],
    [z.xor([z.object({ a: z.string() }), z.object({ b: z.string() })]), [{ a: 'x' }, { b: 'y' }]],
    [z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]), [{ a: 'x' }, { b: 'y' }]],
    [z.record(z.string(), z.number()), [{}, { a: 1 }, { b: 2 }]],
    [z.record(z.string().regex(/^a/), z.number()), [{}, { a: 1 }]],
    [z.partialRecord(z.enum(['a', 'b']), z.number()), [{}, { a: 1 }, { b: 2 }]],
    [z.partialRecord(z.enum(['a']), z.number()), [{}, { a: 1 }]],
    [
      list,
      [
        { v: 1, next: null },
        { v: 1, next: { v: 2, next: null } },
      ],
    ],
    [z.object({ v: z.number(), next: z.null() }), [{ v: 1, next: null }]],
  ];

  it('never calls safe a change that a published payload fails, in either direction', () => {
    const missed: string[] = [];
    const show = (schema: z.ZodType) => JSON.stringify(z.toJSONSchema(schema, { unrepresentable: 'any' }));
    for (const [before, beforeSamples] of pool) {
      for (const [after, afterSamples] of pool) {
        const said = breaks(before, after);
        const cases: [z.ZodType, z.ZodType, unknown[], Direction][] = [
          [before, after, beforeSamples, 'backward'],
          [after, before, afterSamples, 'forward'],
        ];
        for (const [writer, reader, samples, direction] of cases) {
          if (said.includes(direction)) continue;
          for (const sample of samples)
            if (rejects(writer, reader, sample))
              missed.push(`${direction} ${show(before)} -> ${show(after)}: ${JSON.stringify(sample)}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  it('calls every schema compatible with itself, and some changes safe', () => {
    let safe = 0;
    for (const [before] of pool) {
      expect(breaks(before, before)).toEqual([]);
      for (const [after] of pool) if (!breaks(before, after).includes('backward')) safe++;
    }
    expect(safe).toBeGreaterThan(pool.length * 2);
  });
});
