import type * as core from 'zod/v4/core';
import type { EventCatalog } from './catalog';
import { dataJsonSchema } from './fingerprint';
import { mapSchema, setOwn } from './schema-walk';

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/**
 * Moves a standalone schema into a larger document at `base` (a URI fragment JSON Pointer such as
 * `#/$defs/user%3Ajoined`): its local references (`#` for itself, as zod writes recursive schemas,
 * and `#/$defs/...` or `#/definitions/...` for shared parts) would otherwise resolve against the
 * new document's root.
 *
 * @param schema - a standalone JSON Schema
 * @param base - where it will sit in the new document, as a `#`-prefixed JSON Pointer fragment
 */
export function rebaseSchema(schema: unknown, base: string): unknown {
  return mapSchema(schema, (node) => {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !(ref === '#' || ref.startsWith('#/'))) return node;
    return { ...node, $ref: `${base}${ref.slice(1)}` };
  });
}

/**
 * One JSON Pointer token as it appears in a URI fragment (RFC 6901, sections 4 and 6): `~` and `/`
 * escaped as `~0` and `~1`, then percent-encoded.
 *
 * @param token - a property name
 */
export function pointerToken(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/**
 * The JSON Schema (draft 2020-12) of a catalog's `{ type, data }` envelopes: a `oneOf` with one
 * member per event, discriminated by a `const` on `type`, and each event's data schema in `$defs`.
 *
 * @param schemas - event name to zod schema
 */
export function catalogJsonSchema(schemas: Readonly<Record<string, core.$ZodType>>): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const oneOf: JsonSchema[] = [];
  for (const name of Object.keys(schemas)) {
    const ref = `#/$defs/${pointerToken(name)}`;
    const { $schema: _dialect, ...data } = dataJsonSchema(schemas[name] as core.$ZodType);
    setOwn(defs, name, rebaseSchema(data, ref) as JsonSchema);
    oneOf.push({
      type: 'object',
      properties: { type: { const: name }, data: { $ref: ref } },
      required: ['type', 'data'],
      additionalProperties: false,
    });
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Server-sent events',
    description: 'Each event of the stream: its name in `type` (the `event:` field) and its JSON `data`.',
    oneOf,
    $defs: defs,
  };
}

/**
 * The JSON Schema (draft 2020-12) of every `{ type, data }` envelope of a catalog, for teams
 * without TypeScript (see {@link catalogJsonSchema} for its shape).
 *
 * @param catalog - a catalog made by `defineEvents`
 *
 * @example
 * ```ts
 * writeFileSync('events.schema.json', JSON.stringify(toJSONSchema(events), null, 2));
 * ```
 */
export function toJSONSchema(catalog: EventCatalog): JsonSchema {
  return catalogJsonSchema(catalog.events);
}
