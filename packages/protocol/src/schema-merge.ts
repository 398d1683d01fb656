import { canonicalJson } from './fingerprint';
import { lowerBound, upperBound } from './schema-bounds';
import {
  isNode,
  isValidating,
  type Node,
  overlaps,
  patternsOf,
  type Schema,
  typesOf,
  valuesOf,
} from './schema-keywords';
import { setOwn } from './schema-walk';

// Part of the coverage check (schema-coverage.ts): `$ref` resolution, and the folding of a
// writer's `allOf` into one node. A folded writer may allow more than the `allOf` did, never less,
// so that what is proved for it holds for the writer (a reader's `allOf` is not folded: each member
// is checked on its own, which is exact).

/** One side of the comparison: a schema and the document its `$ref`s resolve against. */
export interface Side {
  node: Schema;
  root: Schema;
}

/** Follows `$ref`s (local JSON Pointers) to the schema they name; siblings of a `$ref` become an `allOf`. */
export function resolve(side: Side): Side {
  let node = side.node;
  for (let hops = 0; isNode(node) && typeof node.$ref === 'string' && hops < 32; hops++) {
    const ref = node.$ref;
    if (!ref.startsWith('#')) return { node: true, root: side.root };
    let target: unknown = side.root;
    for (const token of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isNode(target) && Object.hasOwn(target, key) ? target[key] : undefined;
    }
    const { $ref: _ref, ...siblings } = node;
    const resolved = (target ?? true) as Schema;
    node = Object.keys(siblings).some(isValidating) ? { allOf: [resolved, siblings] } : resolved;
  }
  return { node: node ?? true, root: side.root };
}

/** A schema that allows what both allow (an `allOf` of two), simplified when one is `true`/`false`. */
function both(a: Schema, b: Schema): Schema {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return { allOf: [a, b] };
}

const MINIMA = ['minLength', 'minItems', 'minProperties'];
const MAXIMA = ['maxLength', 'maxItems', 'maxProperties'];

/** The types both allow (an integer is a number), or `null` when either has no `type`. */
function sharedTypes(a: Node, b: Node): string[] | null {
  const list = (node: Node) =>
    typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : null;
  const left = list(a);
  const right = list(b);
  if (left === null || right === null) return left ?? right;
  const shared = new Set<string>();
  for (const type of left) {
    if (right.includes(type) || (type === 'integer' && right.includes('number'))) shared.add(type);
    else if (type === 'number' && right.includes('integer')) shared.add('integer');
  }
  return [...shared];
}

/** The properties of a merged object: each name as both members allow it. */
function mergeObjects(a: Node, b: Node, out: Node): void {
  const propsOf = (node: Node) => (isNode(node.properties) ? node.properties : {});
  const restOf = (node: Node): Schema =>
    node.additionalProperties === undefined ? true : (node.additionalProperties as Schema);
  const schemaOf = (node: Node, key: string): Schema =>
    Object.hasOwn(propsOf(node), key) ? (propsOf(node)[key] as Schema) : restOf(node);
  const properties: Node = {};
  for (const key of new Set([...Object.keys(propsOf(a)), ...Object.keys(propsOf(b))]))
    setOwn(properties, key, both(schemaOf(a, key), schemaOf(b, key)));
  if (Object.keys(properties).length > 0) out.properties = properties;
  const rest = both(restOf(a), restOf(b));
  if (rest === true) delete out.additionalProperties;
  else out.additionalProperties = rest;
  if (a.propertyNames !== undefined && b.propertyNames !== undefined)
    out.propertyNames = both(a.propertyNames as Schema, b.propertyNames as Schema);
  const required = [a.required, b.required].flatMap((list) => (Array.isArray(list) ? list : []));
  if (required.length > 0) out.required = [...new Set(required)];
}

/** The items of a merged array: each position as both members allow it. */
function mergeArrays(a: Node, b: Node, out: Node): void {
  const prefixOf = (node: Node) => (Array.isArray(node.prefixItems) ? (node.prefixItems as Schema[]) : []);
  const restOf = (node: Node): Schema => (node.items === undefined ? true : (node.items as Schema));
  const length = Math.max(prefixOf(a).length, prefixOf(b).length);
  const prefix: Schema[] = [];
  for (let index = 0; index < length; index++)
    prefix.push(both(prefixOf(a)[index] ?? restOf(a), prefixOf(b)[index] ?? restOf(b)));
  if (length > 0) out.prefixItems = prefix;
  const rest = both(restOf(a), restOf(b));
  if (rest === true) delete out.items;
  else out.items = rest;
}

/**
 * One node allowing every value both nodes allow (their `allOf`), and possibly more: where the two
 * cannot be combined exactly (two unions, two formats), the first one's keyword is kept.
 */
function mergeNodes(a: Schema, b: Schema): Schema {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  const out: Node = { ...b, ...a };
  const types = sharedTypes(a, b);
  if (types !== null) {
    if (types.length === 0) return false;
    out.type = types.length === 1 ? types[0] : types;
  }
  const left = valuesOf(a);
  const right = valuesOf(b);
  if (left !== null && right !== null) {
    const shared = left.filter((value) =>
      right.some((other) => canonicalJson(other) === canonicalJson(value)),
    );
    if (shared.length === 0) return false;
    delete out.const;
    out.enum = shared;
  }
  const low = [lowerBound(a), lowerBound(b)].filter((bound) => bound !== null);
  const high = [upperBound(a), upperBound(b)].filter((bound) => bound !== null);
  for (const key of ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum']) delete out[key];
  // The higher lower bound and the lower upper bound (exclusive first when they are equal).
  low.sort((x, y) => y.value - x.value || Number(y.exclusive) - Number(x.exclusive));
  high.sort((x, y) => x.value - y.value || Number(y.exclusive) - Number(x.exclusive));
  if (low[0]) out[low[0].exclusive ? 'exclusiveMinimum' : 'minimum'] = low[0].value;
  if (high[0]) out[high[0].exclusive ? 'exclusiveMaximum' : 'maximum'] = high[0].value;
  for (const key of MINIMA) {
    const values = [a[key], b[key]].filter((value) => typeof value === 'number');
    if (values.length > 0) out[key] = Math.max(...values);
  }
  for (const key of MAXIMA) {
    const values = [a[key], b[key]].filter((value) => typeof value === 'number');
    if (values.length > 0) out[key] = Math.min(...values);
  }
  const patterns = [...new Set([...patternsOf(a), ...patternsOf(b)])];
  delete out.pattern;
  if (patterns.length > 0) out.patterns = patterns;
  mergeObjects(a, b, out);
  mergeArrays(a, b, out);
  return out;
}

/**
 * A writer's schema as one node: `$ref`s followed, `allOf` members folded in. The result allows
 * every value the schema does (and possibly more), so a reader that covers it covers the writer.
 *
 * @param schema - the writer's schema
 * @param root - the document its `$ref`s resolve against
 * @param depth - how many `allOf`s deep this call is (a self-referring one stops at 32)
 */
export function writerNode(schema: Schema, root: Schema, depth = 0): Schema {
  const { node } = resolve({ node: schema, root });
  if (!isNode(node) || !Array.isArray(node.allOf)) return node;
  // A folding that never ends (an `allOf` that refers to itself): allow anything.
  if (depth > 32) return true;
  const { allOf, ...rest } = node;
  let merged: Schema = rest;
  for (const member of allOf as Schema[]) merged = mergeNodes(merged, writerNode(member, root, depth + 1));
  return merged;
}

/**
 * Whether no value passes both schemas, as far as their types, values and required properties tell
 * (a discriminated union's members: each requires `type` with a different `const`; an object that
 * requires a field another one forbids). `false` when it cannot tell.
 *
 * @param a - one schema, with its document
 * @param b - the other, with its document
 * @param depth - how many properties deep this call is
 */
export function disjoint(a: Side, b: Side, depth = 0): boolean {
  const left = writerNode(a.node, a.root);
  const right = writerNode(b.node, b.root);
  if (left === false || right === false) return true;
  if (left === true || right === true || depth > 8) return false;
  if ([left, right].some((node) => node.anyOf !== undefined || node.oneOf !== undefined)) return false;
  const leftTypes = typesOf(left);
  const rightTypes = typesOf(right);
  if (leftTypes !== null && rightTypes !== null && ![...leftTypes].some((type) => overlaps(rightTypes, type)))
    return true;
  const leftValues = valuesOf(left);
  const rightValues = valuesOf(right);
  if (
    leftValues !== null &&
    rightValues !== null &&
    !leftValues.some((value) => rightValues.some((other) => canonicalJson(other) === canonicalJson(value)))
  )
    return true;
  const objectOnly = (types: Set<string> | null) => types?.size === 1 && types.has('object');
  if (!objectOnly(leftTypes) || !objectOnly(rightTypes)) return false;
  const required = (node: Node) => (Array.isArray(node.required) ? (node.required as string[]) : []);
  const property = (node: Node, key: string): Schema =>
    isNode(node.properties) && Object.hasOwn(node.properties, key)
      ? (node.properties[key] as Schema)
      : node.additionalProperties === undefined
        ? true
        : (node.additionalProperties as Schema);
  const apart = (x: Node, xRoot: Schema, y: Node, yRoot: Schema) =>
    required(x).some((key) => {
      const other = property(y, key);
      if (other === false) return true;
      return (
        required(y).includes(key) &&
        disjoint({ node: property(x, key), root: xRoot }, { node: other, root: yRoot }, depth + 1)
      );
    });
  return apart(left, a.root, right, b.root) || apart(right, b.root, left, a.root);
}
