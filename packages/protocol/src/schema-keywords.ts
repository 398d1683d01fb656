import { canonicalJson } from './fingerprint';
import { UNCHECKED } from './schema-marks';
import { mapSchema } from './schema-walk';

// The JSON Schema keywords the coverage check (schema-coverage.ts) knows, and what one node says
// on its own: the types and values it allows, and whether one value passes its own keywords.

/** A JSON Schema: an object, or `true` (anything) / `false` (nothing). */
export type Schema = Record<string, unknown> | boolean;
/** A JSON Schema object. */
export type Node = Record<string, unknown>;

/** Keywords the coverage check reasons about. */
export const UNDERSTOOD = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'anyOf',
  'oneOf',
  'allOf',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
]);

/**
 * Keywords of JSON Schema (2020-12, and draft 7's) that reject values but that the check does not
 * reason about: a reader's that differs from the writer's is reported as a change it cannot judge.
 * Any other keyword (`description`, a `.meta()` key) is an annotation: it rejects nothing.
 */
export const UNSUPPORTED = new Set([
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependentRequired',
  'dependencies',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  '$dynamicRef',
  '$recursiveRef',
]);

/** Whether a keyword may reject values (`patterns` is the check's own: merged `pattern`s). */
export const isValidating = (key: string): boolean =>
  UNDERSTOOD.has(key) || UNSUPPORTED.has(key) || key === UNCHECKED || key === 'patterns';

const TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'] as const;

/** Whether a value is a schema object (not an array, not `null`). */
export const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a schema accepts every value: `true`, or an object with annotations only. */
export const isAny = (schema: Schema): boolean =>
  schema === true || (isNode(schema) && !Object.keys(schema).some(isValidating));

const comparables = /* @__PURE__ */ new WeakMap<object, string>();

/**
 * A schema's canonical JSON without its annotations: two schemas with the same text (and no
 * `$ref`, which may resolve differently in two documents) accept the same values.
 */
export function comparable(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return canonicalJson(schema);
  let text = comparables.get(schema);
  if (text === undefined) {
    const stripped = mapSchema(schema, (node) =>
      Object.fromEntries(Object.entries(node).filter(([key]) => isValidating(key))),
    );
    text = canonicalJson(stripped);
    comparables.set(schema, text);
  }
  return text;
}

/** Whether two schemas are the same one (same text, no `$ref`): a writer is then covered. */
export const sameSchema = (reader: Schema, writer: Schema): boolean => {
  const text = comparable(reader);
  return text === comparable(writer) && !text.includes('"$ref"');
};

/** The JSON Schema type of a JSON value (`integer` for a whole number). */
export function typeOfValue(value: unknown): (typeof TYPES)[number] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'boolean' | 'string' | 'object';
}

/** The types a schema may hold, or `null` for any. */
export function typesOf(node: Node): Set<string> | null {
  if (typeof node.type === 'string') return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(node.type as string[]);
  const values = valuesOf(node);
  if (values !== null) return new Set(values.map(typeOfValue));
  return null;
}

/** The values a schema is limited to (`const`, `enum`), or `null`. */
export function valuesOf(node: Node): unknown[] | null {
  if (Object.hasOwn(node, 'const')) return [node.const];
  if (Array.isArray(node.enum)) return node.enum as unknown[];
  return null;
}

/** Whether a reader that allows `readerTypes` accepts every value of `type` (integers are numbers). */
export const accepts = (readerTypes: Set<string>, type: string): boolean =>
  readerTypes.has(type) || (type === 'integer' && readerTypes.has('number'));

/** Whether some value has both types (integers are numbers). */
export const overlaps = (readerTypes: Set<string>, type: string): boolean =>
  accepts(readerTypes, type) || (type === 'number' && readerTypes.has('integer'));

/** The patterns a string must match: `pattern`, or the `patterns` merged from an `allOf`. */
export function patternsOf(node: Node): string[] {
  if (Array.isArray(node.patterns)) return node.patterns as string[];
  return typeof node.pattern === 'string' ? [node.pattern] : [];
}

/**
 * Whether one JSON value is proved to pass the reader's own keywords (not its subschemas): for
 * enum values. A `format` without a `pattern` cannot be checked here, so it proves nothing.
 */
export function valueFits(node: Node, value: unknown): boolean {
  const types = typesOf(node);
  if (types !== null && !accepts(types, typeOfValue(value))) return false;
  const values = valuesOf(node);
  if (values !== null && !values.some((allowed) => canonicalJson(allowed) === canonicalJson(value)))
    return false;
  if (typeof value === 'number') {
    if (typeof node.minimum === 'number' && value < node.minimum) return false;
    if (typeof node.maximum === 'number' && value > node.maximum) return false;
    if (typeof node.exclusiveMinimum === 'number' && value <= node.exclusiveMinimum) return false;
    if (typeof node.exclusiveMaximum === 'number' && value >= node.exclusiveMaximum) return false;
    if (typeof node.multipleOf === 'number' && !Number.isInteger(value / node.multipleOf)) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof node.minLength === 'number' && length < node.minLength) return false;
    if (typeof node.maxLength === 'number' && length > node.maxLength) return false;
    const patterns = patternsOf(node);
    if (typeof node.format === 'string' && patterns.length === 0) return false;
    for (const pattern of patterns) {
      try {
        if (!new RegExp(pattern, 'u').test(value)) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** The types of a schema for a message: `string | null`, or `any`. */
export const describeTypes = (types: Set<string> | null): string =>
  types === null ? 'any' : [...types].sort().join(' | ');
