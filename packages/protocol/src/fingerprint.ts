import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import type { EventCatalog } from './catalog';
import { mapSchema, setOwn } from './schema-walk';
import { sha256Hex } from './sha256';

/**
 * Serialises JSON with object keys sorted at every level, so equal values always give equal text.
 *
 * @param value - a JSON value
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/**
 * The JSON Schema of one event's data (draft 2020-12). Types JSON cannot carry become `{}`.
 *
 * @param schema - the event's zod schema
 * @param target - the JSON Schema dialect @defaultValue `'draft-2020-12'`
 */
export function dataJsonSchema(
  schema: core.$ZodType,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): Record<string, unknown> {
  return z.toJSONSchema(schema, { target, unrepresentable: 'any', io: 'output' }) as Record<string, unknown>;
}

/**
 * The fingerprint of a catalog: `sha256:` and the SHA-256 hex of the canonical JSON of
 * `{ name: JSON Schema }`, with every `required` list sorted. It only depends on the schemas, so
 * it is the same on every machine and runtime, and anyone can recompute it from the JSON Schema.
 *
 * What counts as "the same": order never matters where JSON gives it no meaning. Events may be
 * listed in any order, and so may the fields of a `z.object` (JSON objects are unordered, RFC 8259;
 * keys are sorted and `required` is a set). Anything else that changes the JSON Schema changes the
 * fingerprint: an event or field added, removed or renamed, a type, a constraint, an optional field
 * made required, an enum value (or the order of enum and union members), a description.
 *
 * @param schemas - event name to zod schema (see {@link catalogFingerprint} for a catalog)
 */
export function schemasFingerprint(schemas: Readonly<Record<string, core.$ZodType>>): string {
  const document: Record<string, unknown> = {};
  for (const name of Object.keys(schemas)) {
    const schema = mapSchema(dataJsonSchema(schemas[name] as core.$ZodType), (node) =>
      Array.isArray(node.required) ? { ...node, required: [...node.required].sort() } : node,
    );
    setOwn(document, name, schema);
  }
  return `sha256:${sha256Hex(canonicalJson(document))}`;
}

// Computed once per catalog: the server announces it on every connection. A catalog's schemas are
// frozen, so its fingerprint never changes.
const fingerprints = /* @__PURE__ */ new WeakMap<EventCatalog, string>();

/**
 * The catalog's fingerprint (see {@link schemasFingerprint} for what it covers): the server
 * announces it in `sse:hello`, and a client compares it with its own catalog's. A function, not a
 * property of the catalog, so a browser app that never computes it does not bundle it (nor zod's
 * JSON Schema code it is built on).
 *
 * @param catalog - a catalog made by `defineEvents`
 *
 * @example
 * ```ts
 * console.log(catalogFingerprint(events)); // sha256:9f2c...
 * ```
 */
export function catalogFingerprint(catalog: EventCatalog): string {
  let fingerprint = fingerprints.get(catalog);
  if (fingerprint === undefined) {
    fingerprint = schemasFingerprint(catalog.events);
    fingerprints.set(catalog, fingerprint);
  }
  return fingerprint;
}
