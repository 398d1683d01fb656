import type * as core from 'zod/v4/core';

// What zod's JSON Schema leaves out. A refinement (`.refine`, `.superRefine`, `.check`), a type JSON
// cannot carry (`z.date()`, `z.custom()`, `z.instanceof()`, maps, sets...) or the later stages of a
// pipe validate values the JSON Schema says nothing about: the schema of such a node accepts more
// than zod does. A contract marks these nodes with the `x-sse-unchecked` keyword (its value says
// why), and the coverage check never calls a change to a marked reader node safe.

/** The keyword that marks a node whose zod schema checks more than its JSON Schema says. */
export const UNCHECKED = 'x-sse-unchecked';

// Types that `toJSONSchema` writes as `{}` (with `unrepresentable: 'any'`), accepting anything.
const UNREPRESENTABLE = new Set([
  'bigint',
  'symbol',
  'undefined',
  'void',
  'date',
  'map',
  'set',
  'function',
  'nan',
  'custom',
  'promise',
  'file',
]);

// Checks that `toJSONSchema` writes out in full (bounds, lengths, formats, patterns, integers).
const EXPRESSED_CHECKS = new Set([
  'greater_than',
  'less_than',
  'multiple_of',
  'number_format',
  'bigint_format',
  'max_length',
  'min_length',
  'length_equals',
  'string_format',
  'max_size',
  'min_size',
  'size_equals',
]);

type Io = 'input' | 'output';

/** Why a zod schema checks more than its JSON Schema says, or `undefined` when it does not. */
function uncheckedReason(schema: core.$ZodType, io: Io): string | undefined {
  const def = schema._zod.def as core.$ZodTypeDef & Record<string, unknown>;
  if (UNREPRESENTABLE.has(def.type)) return def.type;
  if (def.type === 'literal') {
    const values = (def as unknown as core.$ZodLiteralDef<core.util.Literal>).values;
    if (values.some((value) => value === undefined || typeof value === 'bigint')) return 'literal';
  }
  if (def.type === 'pipe' && io === 'input') {
    // The input schema of a pipe is its first stage's: what the later stages reject is not in it.
    // A plain `.transform()` rejects nothing; a `z.preprocess()` validates what its function returns.
    const pipe = def as unknown as core.$ZodPipeDef;
    const transform = (stage: core.$ZodType) => stage._zod.traits.has('$ZodTransform');
    if (transform(pipe.in) || !transform(pipe.out)) return 'pipe';
  }
  let overwritten = false;
  for (const check of def.checks ?? []) {
    const kind = check._zod.def.check;
    if (kind === 'overwrite') {
      // `.trim()`, `.toLowerCase()`: later checks see the rewritten value, not the one sent.
      overwritten = true;
    } else if (kind === 'custom') return 'refine';
    else if (!EXPRESSED_CHECKS.has(kind)) return kind;
    else if (overwritten) return 'overwrite';
    else if (kind === 'multiple_of') {
      const divisor = (check._zod.def as unknown as { value: unknown }).value;
      if (typeof divisor !== 'number' || !Number.isFinite(divisor) || divisor === 0) return 'multipleOf';
    }
  }
  return undefined;
}

/**
 * The `override` hook of zod's `toJSONSchema` that marks (with {@link UNCHECKED}) every node whose
 * zod schema checks more than its JSON Schema can say. Wrappers (`.optional()`, `.nullable()`,
 * `.default()`, `z.lazy()`) inherit the mark of what they wrap.
 *
 * @param io - the side being converted: `input` (what a catalog accepts) or `output`
 */
export function markUnchecked(io: Io) {
  return (context: { zodSchema: core.$ZodType; jsonSchema: Record<string, unknown> }): void => {
    const reason = uncheckedReason(context.zodSchema, io);
    if (reason !== undefined) context.jsonSchema[UNCHECKED] = reason;
  };
}
