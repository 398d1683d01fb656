import type { z } from 'zod';
import { dataJsonSchema } from './fingerprint';

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of a catalog's `{ type, data }` envelopes: a `oneOf` with one
 * member per event, discriminated by a `const` on `type`, and each event's data schema in `$defs`.
 *
 * @param schemas - event name to zod schema
 */
export function catalogJsonSchema(schemas: Readonly<Record<string, z.ZodType>>): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const oneOf: JsonSchema[] = [];
  for (const name of Object.keys(schemas)) {
    const { $schema: _dialect, ...data } = dataJsonSchema(schemas[name] as z.ZodType);
    defs[name] = data;
    oneOf.push({
      type: 'object',
      properties: { type: { const: name }, data: { $ref: `#/$defs/${encodeURIComponent(name).replace(/~/g, '~0')}` } },
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
