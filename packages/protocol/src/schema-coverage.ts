import { canonicalJson } from './fingerprint';
import { describeBound, lowerBound, lowerCovered, upperBound, upperCovered } from './schema-bounds';

// Does every value a writer's JSON Schema allows pass a reader's? The question behind both
// compatibility directions: `backward` asks it of (new reader, old writer), `forward` of
// (old reader, new writer). The answer is conservative: what cannot be proved safe is reported.
// It understands the JSON Schema that zod's `toJSONSchema` writes (types, const/enum, bounds,
// patterns, formats, objects, arrays, tuples, unions, `$ref`); any other keyword that differs
// between the two is reported as a change it cannot judge.

type Schema = Record<string, unknown> | boolean;
type Node = Record<string, unknown>;

/**
 * Why a reader may reject a value the writer allows, independent of which side is new:
 * `required` (the reader requires a field the writer may omit; `known` says whether the writer
 * has the field at all), `extra` (the reader forbids a field the writer may send), `type`
 * (the writer may send a type the reader rejects; `disjoint` when no type is shared), `enum`
 * (a value the reader does not list), `constraint` (a bound, length, pattern or format),
 * `changed` (a keyword this check cannot reason about differs).
 */
export type Gap =
  | { kind: 'required'; path: string; known: boolean }
  | { kind: 'extra'; path: string }
  | { kind: 'type'; path: string; disjoint: boolean; reader: string; writer: string }
  | { kind: 'enum'; path: string; values: unknown[] }
  | { kind: 'constraint'; path: string; keyword: string; reader: unknown; writer: unknown }
  | { kind: 'changed'; path: string; keyword: string };

/** One side of the comparison: a schema and the document its `$ref`s resolve against. */
interface Side {
  node: Schema;
  root: Schema;
}

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentEncoding',
  'contentMediaType',
]);
const UNDERSTOOD = new Set([
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
const TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'] as const;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(side: Side): Side {
  let node = side.node;
  for (let hops = 0; isNode(node) && typeof node.$ref === 'string' && hops < 32; hops++) {
    const ref = node.$ref;
    if (!ref.startsWith('#')) return { node: true, root: side.root };
    let target: unknown = side.root;
    for (const token of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isNode(target) ? target[key] : undefined;
    }
    const { $ref: _ref, ...siblings } = node;
    node = Object.keys(siblings).length === 0 ? (target as Schema) : { allOf: [target, siblings] };
  }
  return { node: node ?? true, root: side.root };
}

/** Folds `allOf` members into one node (zod writes `allOf` for several patterns on a string). */
function flatten(node: Node): Node {
  if (!Array.isArray(node.allOf)) return node;
  const { allOf, ...rest } = node;
  const patterns: unknown[] = typeof rest.pattern === 'string' ? [rest.pattern] : [];
  let merged: Node = { ...rest };
  for (const member of allOf as unknown[]) {
    if (!isNode(member)) continue;
    const flat = flatten(member);
    if (typeof flat.pattern === 'string') patterns.push(flat.pattern);
    merged = { ...flat, ...merged };
  }
  if (patterns.length > 0) merged.patterns = patterns;
  delete merged.pattern;
  return merged;
}

function patternsOf(node: Node): string[] {
  if (Array.isArray(node.patterns)) return node.patterns as string[];
  return typeof node.pattern === 'string' ? [node.pattern] : [];
}

const isAny = (schema: Schema): boolean =>
  schema === true || (isNode(schema) && Object.keys(schema).every((key) => ANNOTATIONS.has(key)));

function typeOfValue(value: unknown): (typeof TYPES)[number] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'boolean' | 'string' | 'object';
}

/** The types a schema may hold, or `null` for any. */
function typesOf(node: Node): Set<string> | null {
  if (typeof node.type === 'string') return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(node.type as string[]);
  const values = valuesOf(node);
  if (values !== null) return new Set(values.map(typeOfValue));
  return null;
}

/** The values a schema is limited to (`const`, `enum`), or `null`. */
function valuesOf(node: Node): unknown[] | null {
  if ('const' in node) return [node.const];
  if (Array.isArray(node.enum)) return node.enum as unknown[];
  return null;
}

const accepts = (readerTypes: Set<string>, type: string): boolean =>
  readerTypes.has(type) || (type === 'integer' && readerTypes.has('number'));

/** Whether some value has both types (integers are numbers). */
const overlaps = (readerTypes: Set<string>, type: string): boolean =>
  accepts(readerTypes, type) || (type === 'number' && readerTypes.has('integer'));

/** Whether one JSON value passes the reader's own keywords (not its subschemas): for enum values. */
function valueFits(node: Node, value: unknown): boolean {
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
    for (const pattern of patternsOf(node)) {
      try {
        if (!new RegExp(pattern, 'u').test(value)) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}

const describeTypes = (types: Set<string> | null): string =>
  types === null ? 'any' : [...types].sort().join(' | ');

/** Walks a reader and a writer schema together and collects every {@link Gap}. */
class Coverage {
  readonly gaps: Gap[] = [];
  private readonly seen = new Set<string>();

  check(reader: Side, writer: Side, path: string): void {
    const r = resolve(reader);
    const w = resolve(writer);
    // Recursive schemas: a pair of nodes already on the walk is assumed covered (co-induction).
    if (isNode(reader.node) && isNode(writer.node) && (reader.node.$ref || writer.node.$ref)) {
      const key = `${String(reader.node.$ref)}|${String(writer.node.$ref)}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    if (isAny(r.node) || w.node === false) return;
    if (r.node === false) {
      this.gaps.push({ kind: 'type', path, disjoint: true, reader: 'nothing', writer: 'any' });
      return;
    }
    const rn = flatten(r.node as Node);
    const wn = w.node === true ? {} : flatten(w.node as Node);
    const writerUnion = (wn.anyOf ?? wn.oneOf) as Schema[] | undefined;
    if (Array.isArray(writerUnion)) {
      for (const member of writerUnion)
        this.check({ node: rn, root: r.root }, { node: member, root: w.root }, path);
      return;
    }
    const readerUnion = (rn.anyOf ?? rn.oneOf) as Schema[] | undefined;
    if (Array.isArray(readerUnion)) {
      this.checkAgainstUnion(readerUnion, r.root, { node: wn, root: w.root }, path);
      return;
    }
    this.checkNode(rn, r.root, wn, w.root, path);
  }

  /** A writer is covered by a union when one member covers it; else the closest member's gaps. */
  private checkAgainstUnion(members: Schema[], root: Schema, writer: Side, path: string): void {
    let best: Gap[] | null = null;
    for (const member of members) {
      const trial = new Coverage();
      trial.check({ node: member, root }, writer, path);
      if (trial.gaps.length === 0) return;
      if (best === null || trial.gaps.length < best.length) best = trial.gaps;
    }
    this.gaps.push(...(best ?? []));
  }

  private checkNode(r: Node, rRoot: Schema, w: Node, wRoot: Schema, path: string): void {
    for (const key of Object.keys(r)) {
      if (ANNOTATIONS.has(key) || UNDERSTOOD.has(key) || key === 'patterns') continue;
      if (canonicalJson(r[key]) !== canonicalJson(w[key]))
        this.gaps.push({ kind: 'changed', path, keyword: key });
    }
    const readerTypes = typesOf(r);
    const writerTypes = typesOf(w);
    if (readerTypes !== null) {
      const extra =
        writerTypes === null ? ['any'] : [...writerTypes].filter((type) => !accepts(readerTypes, type));
      if (extra.length > 0) {
        const disjoint =
          writerTypes !== null && [...writerTypes].every((type) => !overlaps(readerTypes, type));
        this.gaps.push({
          kind: 'type',
          path,
          disjoint,
          reader: describeTypes(readerTypes),
          writer: describeTypes(writerTypes),
        });
        if (disjoint) return;
      }
    }
    const writerValues = valuesOf(w);
    if (writerValues !== null) {
      // A closed set of values: check each one against the reader's own keywords.
      const rejected = writerValues.filter((value) => !valueFits(r, value));
      if (rejected.length > 0) this.gaps.push({ kind: 'enum', path, values: rejected });
      if (!writerValues.some((value) => typeof value === 'object' && value !== null)) return;
    } else if (valuesOf(r) !== null) {
      this.gaps.push({ kind: 'constraint', path, keyword: 'enum', reader: valuesOf(r), writer: 'any value' });
    }
    const may = (type: string) => writerTypes === null || writerTypes.has(type);
    if (may('number') || may('integer')) this.checkNumbers(r, w, path, writerTypes);
    if (may('string')) this.checkStrings(r, w, path);
    if (may('array')) this.checkArray(r, rRoot, w, wRoot, path);
    if (may('object')) this.checkObject(r, rRoot, w, wRoot, path);
  }

  private constraint(path: string, keyword: string, reader: unknown, writer: unknown): void {
    this.gaps.push({ kind: 'constraint', path, keyword, reader, writer });
  }

  private checkNumbers(r: Node, w: Node, path: string, writerTypes: Set<string> | null): void {
    const rLow = lowerBound(r);
    const wLow = lowerBound(w);
    if (!lowerCovered(rLow, wLow))
      this.constraint(path, 'minimum', describeBound(rLow, true), describeBound(wLow, true));
    const rHigh = upperBound(r);
    const wHigh = upperBound(w);
    if (!upperCovered(rHigh, wHigh))
      this.constraint(path, 'maximum', describeBound(rHigh, false), describeBound(wHigh, false));
    if (typeof r.multipleOf === 'number') {
      const step = typeof w.multipleOf === 'number' ? w.multipleOf : writerTypes?.has('number') ? null : 1;
      if (step === null || !Number.isInteger(step / r.multipleOf)) {
        this.constraint(path, 'multipleOf', r.multipleOf, w.multipleOf ?? 'none');
      }
    }
  }

  private checkStrings(r: Node, w: Node, path: string): void {
    if (typeof r.minLength === 'number' && !(typeof w.minLength === 'number' && w.minLength >= r.minLength)) {
      this.constraint(path, 'minLength', r.minLength, w.minLength ?? 'none');
    }
    if (typeof r.maxLength === 'number' && !(typeof w.maxLength === 'number' && w.maxLength <= r.maxLength)) {
      this.constraint(path, 'maxLength', r.maxLength, w.maxLength ?? 'none');
    }
    const writerPatterns = patternsOf(w);
    for (const pattern of patternsOf(r)) {
      if (!writerPatterns.includes(pattern))
        this.constraint(path, 'pattern', pattern, writerPatterns.join(', ') || 'none');
    }
    if (typeof r.format === 'string' && r.format !== w.format)
      this.constraint(path, 'format', r.format, w.format ?? 'none');
  }

  private checkArray(r: Node, rRoot: Schema, w: Node, wRoot: Schema, path: string): void {
    const rPrefix = Array.isArray(r.prefixItems) ? (r.prefixItems as Schema[]) : [];
    const wPrefix = Array.isArray(w.prefixItems) ? (w.prefixItems as Schema[]) : [];
    if (typeof r.minItems === 'number' && !(typeof w.minItems === 'number' && w.minItems >= r.minItems)) {
      this.constraint(path, 'minItems', r.minItems, w.minItems ?? 'none');
    }
    const wMax = typeof w.maxItems === 'number' ? w.maxItems : w.items === false ? wPrefix.length : null;
    if (typeof r.maxItems === 'number' && !(wMax !== null && wMax <= r.maxItems)) {
      this.constraint(path, 'maxItems', r.maxItems, wMax ?? 'none');
    }
    const wRest: Schema = w.items === undefined ? true : (w.items as Schema);
    const rRest: Schema = r.items === undefined ? true : (r.items as Schema);
    const length = Math.max(rPrefix.length, wPrefix.length);
    for (let index = 0; index < length; index++) {
      const writerItem = wPrefix[index] ?? wRest;
      if (writerItem === false) break;
      this.check(
        { node: rPrefix[index] ?? rRest, root: rRoot },
        { node: writerItem, root: wRoot },
        `${path}[${index}]`,
      );
    }
    if (wRest !== false) this.check({ node: rRest, root: rRoot }, { node: wRest, root: wRoot }, `${path}[*]`);
  }

  private checkObject(r: Node, rRoot: Schema, w: Node, wRoot: Schema, path: string): void {
    const rProps = isNode(r.properties) ? r.properties : {};
    const wProps = isNode(w.properties) ? w.properties : {};
    const rRequired = new Set(Array.isArray(r.required) ? (r.required as string[]) : []);
    const wRequired = new Set(Array.isArray(w.required) ? (w.required as string[]) : []);
    const child = (key: string) =>
      /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
    for (const key of rRequired) {
      if (!wRequired.has(key))
        this.gaps.push({ kind: 'required', path: child(key), known: Object.hasOwn(wProps, key) });
    }
    const rRest: Schema = r.additionalProperties === undefined ? true : (r.additionalProperties as Schema);
    const wRest: Schema = w.additionalProperties === undefined ? true : (w.additionalProperties as Schema);
    for (const [key, writerProp] of Object.entries(wProps)) {
      const readerProp = Object.hasOwn(rProps, key) ? (rProps[key] as Schema) : rRest;
      if (readerProp === false) this.gaps.push({ kind: 'extra', path: child(key) });
      else
        this.check(
          { node: readerProp, root: rRoot },
          { node: writerProp as Schema, root: wRoot },
          child(key),
        );
    }
    if (wRest !== false) {
      // The writer may send names it does not list: each must pass the reader's schema for it.
      if (rRest === false) this.gaps.push({ kind: 'extra', path: `${path}.*` });
      else this.check({ node: rRest, root: rRoot }, { node: wRest, root: wRoot }, `${path}.*`);
      for (const [key, readerProp] of Object.entries(rProps)) {
        if (!Object.hasOwn(wProps, key))
          this.check({ node: readerProp as Schema, root: rRoot }, { node: wRest, root: wRoot }, child(key));
      }
    }
  }
}

/**
 * Every way a value the writer's schema allows may fail the reader's.
 *
 * @param reader - the JSON Schema that reads (a client's `input` schema)
 * @param writer - the JSON Schema that wrote (a server's `output` schema)
 */
export function coverageGaps(reader: Schema, writer: Schema): Gap[] {
  const coverage = new Coverage();
  coverage.check({ node: reader, root: reader }, { node: writer, root: writer }, '$');
  return coverage.gaps;
}
