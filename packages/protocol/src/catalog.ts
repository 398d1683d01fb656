import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { $ZodType } from 'zod/v4/core';
import { EventValidationError, ProtocolError } from './errors';
import { assertEventName } from './event-name';

/**
 * The schemas a catalog is made of: event name to zod schema of its `data`. Any zod 4 schema is
 * taken, from `zod` (classic) or from `zod/mini`: both are built on zod's core (`zod/v4/core`).
 */
export type EventSchemas = Record<string, core.$ZodType>;

/** The `{ type, data }` member of the union for event `N`, with the parsed (output) data type. */
type Envelope<S extends EventSchemas, N extends keyof S> = { type: N; data: core.output<S[N]> };
/** The `{ type, data }` member of the union for event `N`, with the accepted (input) data type. */
type InputEnvelope<S extends EventSchemas, N extends keyof S> = { type: N; data: core.input<S[N]> };

/** Result of {@link EventCatalog.safeParse}. */
export type SafeParseEventResult<T> =
  | { success: true; data: T }
  | { success: false; error: EventValidationError };

/**
 * A typed event catalog, made by {@link defineEvents}. One catalog types and validates the whole
 * path: the server that emits, the wire, and every client that listens.
 */
export interface EventCatalog<S extends EventSchemas = EventSchemas> {
  /** The data schema of every event, by name. */
  readonly events: Readonly<S>;
  /** The event names, in definition order. */
  readonly names: readonly (keyof S & string)[];
  /**
   * A `discriminatedUnion('type', ...)` over every `{ type, data }` envelope, built with `zod/mini`
   * (so a browser app that uses `zod/mini` does not bundle zod classic): it has `parse` and
   * `safeParse`, and works with every function of `zod` and `zod/mini` that takes a schema.
   */
  readonly schema: z.ZodMiniType<EventUnionOf<S>, InputEventUnionOf<S>>;
  /** Whether the catalog defines `name` (narrows it to the catalog's names). */
  has(name: string): name is keyof S & string;
  /**
   * Validates `data` for event `name` and returns the parsed data.
   * @throws {@link EventValidationError} naming the event and the failing path
   */
  parse<N extends keyof S & string>(name: N, data: unknown): core.output<S[N]>;
  /** Like {@link EventCatalog.parse}, but returns `{ success, data | error }` instead of throwing. */
  safeParse<N extends keyof S & string>(name: N, data: unknown): SafeParseEventResult<core.output<S[N]>>;
}

/** The names of a catalog's events. */
export type EventName<C extends EventCatalog> = C extends EventCatalog<infer S> ? keyof S & string : never;
/** The parsed `data` type of event `N` (what handlers receive). */
export type EventData<C extends EventCatalog, N extends EventName<C>> =
  C extends EventCatalog<infer S> ? core.output<S[N]> : never;
/** The accepted `data` type of event `N` (what senders pass; equal to {@link EventData} for plain schemas). */
export type EventInput<C extends EventCatalog, N extends EventName<C>> =
  C extends EventCatalog<infer S> ? core.input<S[N]> : never;
/** The discriminated union of `{ type, data }` for a schema map. */
export type EventUnionOf<S extends EventSchemas> = { [N in keyof S & string]: Envelope<S, N> }[keyof S &
  string];
/** The discriminated union of `{ type, data }` with input data types, for a schema map. */
export type InputEventUnionOf<S extends EventSchemas> = {
  [N in keyof S & string]: InputEnvelope<S, N>;
}[keyof S & string];
/** The discriminated union of `{ type, data }` over a catalog's events, narrowed by `type`. */
export type EventUnion<C extends EventCatalog> = C extends EventCatalog<infer S> ? EventUnionOf<S> : never;

/**
 * Defines the event catalog: each event name with the zod schema of its data. Schemas from `zod`
 * and from `zod/mini` are both accepted (and may be mixed); equivalent schemas give the same
 * fingerprint and JSON Schema whichever build made them.
 *
 * @param schemas - event name to zod schema. Names must be non-empty, without control characters
 * or surrounding whitespace, and outside the reserved `sse:` prefix.
 * @throws {@link ProtocolError} `invalid-event-name` or `reserved-event-name` for a bad name
 *
 * @example
 * ```ts
 * export const events = defineEvents({
 *   'user:joined': z.object({ userId: z.string(), name: z.string() }),
 *   notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
 * });
 * type AppEvent = EventUnion<typeof events>;
 * ```
 */
export function defineEvents<const S extends EventSchemas>(schemas: S): EventCatalog<S> {
  if (typeof schemas !== 'object' || schemas === null) {
    throw new ProtocolError('invalid-option', 'defineEvents() takes an object of event name to zod schema');
  }
  const names = Object.keys(schemas) as (keyof S & string)[];
  if (names.length === 0) {
    throw new ProtocolError('invalid-option', 'defineEvents() needs at least one event');
  }
  for (const name of names) {
    assertEventName(name);
    // Zod's core classes recognise their instances by trait, not by prototype: classic and mini
    // schemas both pass, and so does a schema made by another copy of zod 4.
    if (!(schemas[name] instanceof $ZodType)) {
      throw new ProtocolError(
        'invalid-option',
        `the schema of event ${JSON.stringify(name)} is not a zod schema`,
      );
    }
  }
  const frozen = Object.freeze({ ...schemas });
  const envelopes = names.map((name) =>
    z.object({ type: z.literal(name), data: frozen[name] as core.$ZodType }),
  );
  const schema = z.discriminatedUnion(
    'type',
    envelopes as unknown as [(typeof envelopes)[number], ...(typeof envelopes)[number][]],
  ) as unknown as z.ZodMiniType<EventUnionOf<S>, InputEventUnionOf<S>>;

  const has = (name: string): name is keyof S & string => Object.hasOwn(frozen, name);

  function safeParse<N extends keyof S & string>(
    name: N,
    data: unknown,
  ): SafeParseEventResult<core.output<S[N]>> {
    if (!has(name))
      return { success: false, error: new EventValidationError(String(name), [], 'unknown-event') };
    // `z.safeParse` runs any zod 4 schema; a classic schema's own `.safeParse` is the same call.
    const result = z.safeParse(frozen[name] as S[N], data);
    if (result.success) return { success: true, data: result.data as core.output<S[N]> };
    return { success: false, error: new EventValidationError(name, result.error.issues) };
  }

  return Object.freeze({
    events: frozen,
    names: Object.freeze(names),
    schema,
    has,
    parse<N extends keyof S & string>(name: N, data: unknown): core.output<S[N]> {
      const result = safeParse(name, data);
      if (result.success) return result.data;
      throw result.error;
    },
    safeParse,
  });
}

/**
 * Whether `value` is a catalog made by {@link defineEvents}, from this copy of the package or any
 * other (the check looks at its shape, not its prototype).
 *
 * @param value - anything
 */
export function isEventCatalog(value: unknown): value is EventCatalog {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof EventCatalog, unknown>>;
  return (
    Array.isArray(candidate.names) &&
    typeof candidate.events === 'object' &&
    candidate.events !== null &&
    typeof candidate.has === 'function' &&
    typeof candidate.safeParse === 'function'
  );
}
