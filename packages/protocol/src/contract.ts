import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import type { EventCatalog } from './catalog';
import { ProtocolError } from './errors';
import { schemasFingerprint } from './fingerprint';
import type { JsonSchema } from './json-schema';
import { markUnchecked } from './schema-marks';
import { setOwn } from './schema-walk';

/** The `format` of a catalog contract file. */
export const CONTRACT_FORMAT = 'sse-catalog-contract';

/**
 * A catalog written down as plain JSON, to commit beside the code and compare later versions with
 * (`checkCompatibility`, the `sse-catalog` CLI). Each event has two JSON Schemas (draft 2020-12),
 * because what a server sends and what a client accepts can differ: `output` is the data a server
 * publishes (after defaults and transforms), `input` the data a client's catalog accepts. A node
 * whose zod schema checks more than JSON Schema can say (a refinement, `z.date()`, a pipe) carries
 * an `x-sse-unchecked` keyword saying why.
 */
export interface CatalogContract {
  readonly format: typeof CONTRACT_FORMAT;
  readonly version: 1;
  /** The fingerprint of the catalog it was written from (as announced in `sse:hello`). */
  readonly fingerprint: string;
  /** Event name to the JSON Schemas of its data. */
  readonly events: Readonly<Record<string, EventContract>>;
}

/** The JSON Schemas of one event's data in a {@link CatalogContract}. */
export interface EventContract {
  /** What a server sends: zod's output type. */
  readonly output: JsonSchema;
  /** What a client accepts: zod's input type. */
  readonly input: JsonSchema;
}

// A node whose zod schema checks more than JSON Schema can say (a refinement, a date, a pipe) is
// marked, so that the compatibility check does not take its JSON Schema for the whole truth.
function dataSchema(schema: core.$ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io,
    override: markUnchecked(io),
  }) as JsonSchema;
  return rest;
}

/**
 * The contract of a catalog's schemas (see {@link CatalogContract}).
 *
 * @param schemas - event name to zod schema
 */
export function catalogContract(schemas: Readonly<Record<string, core.$ZodType>>): CatalogContract {
  const events: Record<string, EventContract> = {};
  for (const name of Object.keys(schemas).sort()) {
    const schema = schemas[name] as core.$ZodType;
    setOwn(events, name, { output: dataSchema(schema, 'output'), input: dataSchema(schema, 'input') });
  }
  return { format: CONTRACT_FORMAT, version: 1, fingerprint: schemasFingerprint(schemas), events };
}

/**
 * The catalog as plain JSON (a {@link CatalogContract}), to commit and compare later versions with:
 * `checkCompatibility`, `sse-catalog check`, the emitter's `compatibleWith`. Events are sorted by
 * name.
 *
 * @param catalog - a catalog made by `defineEvents`
 *
 * @example
 * ```ts
 * writeFileSync('events.contract.json', `${JSON.stringify(toContract(events), null, 2)}\n`);
 * ```
 */
export function toContract(catalog: EventCatalog): CatalogContract {
  return catalogContract(catalog.events);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that a parsed JSON value is a {@link CatalogContract} (a file written by `toContract()` or
 * `sse-catalog snapshot`) and returns it typed.
 *
 * @param value - the parsed JSON
 * @throws {@link ProtocolError} `invalid-contract`, saying what is wrong
 */
export function readContract(value: unknown): CatalogContract {
  const fail = (problem: string): never => {
    throw new ProtocolError('invalid-contract', `not a catalog contract: ${problem}`);
  };
  if (!isRecord(value)) return fail('expected a JSON object');
  if (value.format !== CONTRACT_FORMAT) return fail(`"format" must be ${JSON.stringify(CONTRACT_FORMAT)}`);
  if (value.version !== 1) return fail(`version ${JSON.stringify(value.version)} is not supported (1 is)`);
  if (typeof value.fingerprint !== 'string') return fail('"fingerprint" must be a string');
  if (!isRecord(value.events)) return fail('"events" must be an object');
  for (const [name, event] of Object.entries(value.events)) {
    if (!isRecord(event) || !isRecord(event.output) || !isRecord(event.input)) {
      return fail(`event ${JSON.stringify(name)} needs "output" and "input" JSON Schemas`);
    }
  }
  return value as unknown as CatalogContract;
}
