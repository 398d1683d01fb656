import { canonicalJson } from './fingerprint';
import { describeBound, lowerBound, lowerCovered, upperBound, upperCovered } from './schema-bounds';
import {
  accepts,
  comparable,
  describeTypes,
  isAny,
  isNode,
  isValidating,
  type Node,
  overlaps,
  patternsOf,
  type Schema,
  sameSchema,
  typesOf,
  UNSUPPORTED,
  valueFits,
  valuesOf,
} from './schema-keywords';
import { UNCHECKED } from './schema-marks';
import { disjoint, resolve, type Side, writerNode } from './schema-merge';

// Does every value a writer's JSON Schema allows pass a reader's? The question behind both
// compatibility directions: `backward` asks it of (new reader, old writer), `forward` of
// (old reader, new writer). The answer is conservative: what cannot be proved safe is reported.
// It understands the JSON Schema that zod's `toJSONSchema` writes (types, const/enum, bounds,
// patterns, formats, objects, record keys, arrays, tuples, unions, intersections, `$ref`); a
// validation keyword it does not know that differs between the two is reported as a change it
// cannot judge, and so is any change to a node marked `x-sse-unchecked` (a refinement, a date, a
// pipe: see schema-marks.ts).

/**
 * Why a reader may reject a value the writer allows, independent of which side is new:
 * `required` (the reader requires a field the writer may omit; `known` says whether the writer
 * has the field at all), `extra` (the reader forbids a field the writer may send), `type`
 * (the writer may send a type the reader rejects; `disjoint` when no type is shared), `enum`
 * (a value the reader does not list), `constraint` (a bound, length, pattern, format or the names
 * of a record's keys), `changed` (a keyword this check cannot reason about differs; `reason` says
 * what a node marked `x-sse-unchecked` checks).
 */
export type Gap =
  | { kind: 'required'; path: string; known: boolean }
  | { kind: 'extra'; path: string }
  | { kind: 'type'; path: string; disjoint: boolean; reader: string; writer: string }
  | { kind: 'enum'; path: string; values: unknown[] }
  | { kind: 'constraint'; path: string; keyword: string; reader: unknown; writer: unknown }
  | { kind: 'changed'; path: string; keyword: string; reason?: string };

// Deeper than this, the walk gives up on proving (a schema that refers to itself without nesting).
const MAX_DEPTH = 400;

const isRef = (schema: Schema): boolean => isNode(schema) && typeof schema.$ref === 'string';

/** The parts of a reader that a value must all pass: `allOf` members, and a union with siblings. */
function conjuncts(reader: Node): Schema[] | null {
  const parts: Schema[] = [];
  let rest: Node = reader;
  if (Array.isArray(reader.allOf)) {
    const { allOf, ...others } = reader;
    parts.push(...(allOf as Schema[]));
    rest = others;
  }
  const union = Array.isArray(rest.anyOf) ? 'anyOf' : Array.isArray(rest.oneOf) ? 'oneOf' : null;
  if (union !== null) {
    const { [union]: members, ...others } = rest;
    if (parts.length > 0 || Object.keys(others).some(isValidating)) {
      parts.push({ [union]: members });
      rest = others;
    }
  }
  if (parts.length === 0) return null;
  if (Object.keys(rest).some(isValidating)) parts.unshift(rest);
  return parts;
}

/** One member of a writer's union, with the keywords beside the union that constrain it too. */
function memberWithSiblings(writer: Node, key: string, member: Schema): Schema {
  const { [key]: _union, ...rest } = writer;
  return Object.keys(rest).some(isValidating) ? { allOf: [rest, member] } : member;
}

/** Walks a reader and a writer schema together and collects every {@link Gap}. */
class Coverage {
  readonly gaps: Gap[] = [];
  private depth: number;

  /**
   * @param seen - pairs (reader, writer) already on the walk: a recursive schema meets them again
   * @param depth - how deep the walk that started this one is
   */
  constructor(
    private readonly seen = new Set<string>(),
    depth = 0,
  ) {
    this.depth = depth;
  }

  /** A walk of its own (for one union member), that knows the pairs this one is walking. */
  private trial(): Coverage {
    return new Coverage(new Set(this.seen), this.depth);
  }

  check(reader: Side, writer: Side, path: string): void {
    // Recursive schemas: a pair already on the walk is assumed covered (co-induction). A pair is
    // the two schemas' text: within one document, the same text means the same schema.
    if (isRef(reader.node) || isRef(writer.node)) {
      const key = `${comparable(reader.node)}\u0000${comparable(writer.node)}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    if (this.depth > MAX_DEPTH) {
      this.gaps.push({ kind: 'changed', path, keyword: '$ref' });
      return;
    }
    this.depth++;
    try {
      this.checkResolved(resolve(reader), resolve(writer), path);
    } finally {
      this.depth--;
    }
  }

  private checkResolved(r: Side, w: Side, path: string): void {
    if (isAny(r.node) || w.node === false || sameSchema(r.node, w.node)) return;
    if (r.node === false) {
      this.gaps.push({ kind: 'type', path, disjoint: true, reader: 'nothing', writer: 'any' });
      return;
    }
    let rn = r.node as Node;
    if (Object.hasOwn(rn, UNCHECKED)) {
      // zod checks more here than the JSON Schema says: only the very same schema is safe.
      if (comparable(rn) !== comparable(w.node))
        this.gaps.push({ kind: 'changed', path, keyword: UNCHECKED, reason: String(rn[UNCHECKED]) });
      const { [UNCHECKED]: _mark, ...rest } = rn;
      rn = rest;
      if (isAny(rn)) return;
    }
    const wn = writerNode(w.node, w.root);
    if (wn === false) return;
    const wNode = wn === true ? {} : wn;
    const reader = (node: Schema): Side => ({ node, root: r.root });
    const writer = (node: Schema): Side => ({ node, root: w.root });
    // A value of a writer's union is a value of one member (oneOf's exclusivity only narrows it).
    const unionKey = Array.isArray(wNode.anyOf) ? 'anyOf' : Array.isArray(wNode.oneOf) ? 'oneOf' : null;
    if (unionKey !== null) {
      for (const member of wNode[unionKey] as Schema[])
        this.check(reader(rn), writer(memberWithSiblings(wNode, unionKey, member)), path);
      return;
    }
    // A value passes a reader's allOf when it passes each member.
    const parts = conjuncts(rn);
    if (parts !== null) {
      for (const part of parts) this.check(reader(part), writer(wNode), path);
      return;
    }
    if (Array.isArray(rn.anyOf)) {
      this.checkAgainstUnion(rn.anyOf as Schema[], r.root, writer(wNode), path);
      return;
    }
    if (Array.isArray(rn.oneOf)) {
      this.checkAgainstOneOf(rn.oneOf as Schema[], r.root, writer(wNode), path);
      return;
    }
    this.checkNode(rn, r.root, wNode, w.root, path);
  }

  /**
   * A writer is covered by a union when one member covers it, or (a closed set of values) when
   * each value is covered by some member; else the closest member's gaps are reported.
   */
  private checkAgainstUnion(members: Schema[], root: Schema, writer: Side, path: string): void {
    let best: Gap[] | null = null;
    for (const member of members) {
      const trial = this.trial();
      trial.check({ node: member, root }, writer, path);
      if (trial.gaps.length === 0) return;
      if (best === null || trial.gaps.length < best.length) best = trial.gaps;
    }
    const values = isNode(writer.node) ? valuesOf(writer.node) : null;
    if (values !== null && values.length > 1) {
      const { const: _const, ...rest } = writer.node as Node;
      const covered = values.every((value) =>
        members.some((member) => {
          const trial = this.trial();
          trial.check({ node: member, root }, { node: { ...rest, enum: [value] }, root: writer.root }, path);
          return trial.gaps.length === 0;
        }),
      );
      if (covered) return;
    }
    this.gaps.push(...(best ?? []));
  }

  /**
   * A reader's oneOf rejects a value that passes two members. The writer is covered when the
   * members cannot overlap (a discriminated union) and one covers it, or when one member covers
   * it and it cannot pass any other; anything else is reported as a change this check cannot judge.
   */
  private checkAgainstOneOf(members: Schema[], root: Schema, writer: Side, path: string): void {
    const side = (node: Schema): Side => ({ node, root });
    const apart = members.every((member, index) =>
      members.slice(index + 1).every((other) => disjoint(side(member), side(other))),
    );
    if (apart) {
      this.checkAgainstUnion(members, root, writer, path);
      return;
    }
    const covered = members.some((member, index) => {
      const trial = this.trial();
      trial.check(side(member), writer, path);
      return (
        trial.gaps.length === 0 && members.every((other, at) => at === index || disjoint(side(other), writer))
      );
    });
    if (!covered) this.gaps.push({ kind: 'changed', path, keyword: 'oneOf' });
  }

  private checkNode(r: Node, rRoot: Schema, w: Node, wRoot: Schema, path: string): void {
    for (const key of Object.keys(r)) {
      if (UNSUPPORTED.has(key) && canonicalJson(r[key]) !== canonicalJson(w[key]))
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
    if (r.propertyNames !== undefined) this.checkNames(r.propertyNames as Schema, rRoot, w, wRoot, path);
    const rRest: Schema = r.additionalProperties === undefined ? true : (r.additionalProperties as Schema);
    const wRest: Schema = w.additionalProperties === undefined ? true : (w.additionalProperties as Schema);
    for (const [key, writerProp] of Object.entries(wProps)) {
      // A name the writer's schema forbids (folded from an allOf) is never sent.
      if (writerProp === false) continue;
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

  /** Every name the writer may use must pass the reader's `propertyNames` (a record's key schema). */
  private checkNames(names: Schema, rRoot: Schema, w: Node, wRoot: Schema, path: string): void {
    const wProps = isNode(w.properties) ? w.properties : {};
    const candidates: [Schema, string][] = Object.keys(wProps)
      .filter((key) => wProps[key] !== false)
      .map((key) => [{ const: key }, JSON.stringify(key)]);
    if (w.additionalProperties !== false) {
      // Names it does not list: any string, unless its own propertyNames says otherwise.
      candidates.push(
        w.propertyNames === undefined
          ? [{ type: 'string' }, 'any name']
          : [{ allOf: [{ type: 'string' }, w.propertyNames] }, comparable(w.propertyNames)],
      );
    }
    for (const [candidate, label] of candidates) {
      const trial = this.trial();
      trial.check({ node: names, root: rRoot }, { node: candidate, root: wRoot }, path);
      if (trial.gaps.length > 0) {
        this.constraint(path, 'propertyNames', comparable(names), label);
        return;
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
