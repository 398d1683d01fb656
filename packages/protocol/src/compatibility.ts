import { type EventCatalog, isEventCatalog } from './catalog';
import { type CatalogContract, readContract, toContract } from './contract';
import { canonicalJson } from './fingerprint';
import type { JsonSchema } from './json-schema';
import { coverageGaps, type Gap } from './schema-coverage';
import { UNCHECKED } from './schema-marks';

/**
 * Which way a change can break, in the terms schema registries use:
 * - `backward`: data written with the previous catalog, read with the next one. New clients
 *   receiving events stored before a deploy (replays), or published by instances not yet updated.
 * - `forward`: data written with the next catalog, read with the previous one. Clients built
 *   before the change receiving a new server's events.
 */
export type CompatibilityDirection = 'backward' | 'forward';

/** What {@link checkCompatibility} requires: one direction, or `full` (both). */
export type CompatibilityMode = CompatibilityDirection | 'full';

/** The kinds of change {@link checkCompatibility} reports. */
export type FindingKind =
  | 'event-added'
  | 'event-removed'
  | 'required-field-added'
  | 'required-field-removed'
  | 'optional-field-added'
  | 'optional-field-removed'
  | 'field-added'
  | 'field-removed'
  | 'optional-made-required'
  | 'required-made-optional'
  | 'type-narrowed'
  | 'type-widened'
  | 'type-changed'
  | 'enum-value-removed'
  | 'enum-value-added'
  | 'constraint-tightened'
  | 'constraint-loosened'
  | 'schema-changed';

/** One change between two catalogs. */
export interface CompatibilityFinding {
  /** The event it concerns. */
  readonly event: string;
  /** Where in the event's data, as a JSONPath (`$` is the data itself; `$.user.name`, `$.tags[*]`). */
  readonly path: string;
  readonly kind: FindingKind;
  /** The directions it breaks; empty for a safe change. */
  readonly breaks: readonly CompatibilityDirection[];
  /** What changed and why it matters, on one line. */
  readonly message: string;
  /** How to make the change safely. */
  readonly fix: string;
}

/** The answer of {@link checkCompatibility}. */
export interface CompatibilityResult {
  /** Whether no finding breaks a direction `mode` requires. */
  readonly compatible: boolean;
  readonly mode: CompatibilityMode;
  /** Every change, breaking ones first (in catalog order), then safe ones. */
  readonly findings: readonly CompatibilityFinding[];
}

/** Options of {@link checkCompatibility}. */
export interface CompatibilityOptions {
  /** The directions that must hold. @defaultValue `'full'` */
  mode?: CompatibilityMode;
}

type Named = Pick<CompatibilityFinding, 'kind' | 'message' | 'fix'>;

const NEW_EVENT_NAME =
  'publish the new shape under a new event name, and retire the old one once no client uses it';

/** Names a gap found with the next catalog reading (`backward`) or writing (`forward`). */
function nameGap(gap: Gap, direction: CompatibilityDirection): Named {
  const back = direction === 'backward';
  const at = gap.path === '$' ? 'the data' : gap.path;
  switch (gap.kind) {
    case 'required':
      if (!gap.known) {
        return back
          ? {
              kind: 'required-field-added',
              message: `required field ${at} was added: events published before the change lack it`,
              fix: 'make it optional (.optional() or .default()) so old events still parse',
            }
          : {
              kind: 'required-field-removed',
              message: `required field ${at} was removed: clients built before the change require it`,
              fix: 'keep sending it (mark it deprecated in its description) until every client stopped requiring it',
            };
      }
      return back
        ? {
            kind: 'optional-made-required',
            message: `field ${at} was made required: events published before the change may lack it`,
            fix: 'keep it optional, or give it a .default() so old events still parse',
          }
        : {
            kind: 'required-made-optional',
            message: `field ${at} was made optional: clients built before the change require it`,
            fix: 'keep it required until every client treats it as optional',
          };
    case 'extra':
      return back
        ? {
            kind: 'field-removed',
            message: `field ${at} was removed from a strict object: events published before the change carry it`,
            fix: 'keep the field, or let the object accept unknown fields (z.object, not z.strictObject)',
          }
        : {
            kind: 'field-added',
            message: `field ${at} was added, and clients built before the change reject unknown fields there (strict object)`,
            fix: 'put the new data in a new event, or first ship clients whose object accepts unknown fields',
          };
    case 'type':
      if (gap.disjoint) {
        return {
          kind: 'type-changed',
          message: `${at} changed type (${back ? gap.writer : gap.reader} -> ${back ? gap.reader : gap.writer})`,
          fix: `add a field with the new type beside the old one, or ${NEW_EVENT_NAME}`,
        };
      }
      return back
        ? {
            kind: 'type-narrowed',
            message: `${at} accepts fewer types (${gap.writer} -> ${gap.reader}): events published before the change may not parse`,
            fix: 'keep accepting the old types (a union) until the replay window has passed',
          }
        : {
            kind: 'type-widened',
            message: `${at} may now hold ${gap.writer}, where clients built before the change accept ${gap.reader}`,
            fix: `keep sending the old types, or ${NEW_EVENT_NAME}`,
          };
    case 'enum': {
      const values = gap.values.map((value) => canonicalJson(value)).join(', ');
      return back
        ? {
            kind: 'enum-value-removed',
            message: `${at} no longer accepts ${values}: events published before the change may carry it`,
            fix: 'keep accepting the value; stop sending it first',
          }
        : {
            kind: 'enum-value-added',
            message: `${at} may now be ${values}, which clients built before the change reject`,
            fix: 'ship clients that accept the value first, or send it under a new event name',
          };
    }
    case 'constraint':
      return back
        ? {
            kind: 'constraint-tightened',
            message: `${at}: ${gap.keyword} tightened (${String(gap.writer)} -> ${String(gap.reader)}): events published before the change may not pass`,
            fix: 'keep the old bound for reading; enforce the new one where the data is produced',
          }
        : {
            kind: 'constraint-loosened',
            message: `${at}: ${gap.keyword} loosened (${String(gap.reader)} -> ${String(gap.writer)}): clients built before the change may reject new values`,
            fix: 'keep producing values within the old bound until every client accepts the new one',
          };
    case 'changed':
      if (gap.keyword === UNCHECKED) {
        return {
          kind: 'schema-changed',
          message: `${at} changed, and zod checks more there than its JSON Schema says (${gap.reason ?? 'a refinement'}): this check cannot prove the change safe`,
          fix: `review it by hand (a refinement, a transform or a type JSON cannot carry), or ${NEW_EVENT_NAME}`,
        };
      }
      return {
        kind: 'schema-changed',
        message: `${at}: "${gap.keyword}" changed in a way this check cannot prove safe`,
        fix: `review it by hand, or ${NEW_EVENT_NAME}`,
      };
  }
}

const isObjectSchema = (schema: unknown): schema is JsonSchema =>
  typeof schema === 'object' && schema !== null && !Array.isArray(schema);

/** Fields added or removed that break nothing, for the full list of changes (`diff`). */
function safeFieldChanges(
  event: string,
  previous: unknown,
  next: unknown,
  path: string,
  out: CompatibilityFinding[],
): void {
  if (!isObjectSchema(previous) || !isObjectSchema(next)) return;
  const before = isObjectSchema(previous.properties) ? previous.properties : {};
  const after = isObjectSchema(next.properties) ? next.properties : {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const at = `${path}.${key}`;
    if (!Object.hasOwn(before, key)) {
      out.push({
        event,
        path: at,
        kind: 'optional-field-added',
        breaks: [],
        message: `optional field ${at} was added`,
        fix: '',
      });
    } else if (!Object.hasOwn(after, key)) {
      out.push({
        event,
        path: at,
        kind: 'optional-field-removed',
        breaks: [],
        message: `optional field ${at} was removed`,
        fix: '',
      });
    } else safeFieldChanges(event, before[key], after[key], at, out);
  }
}

function contractOf(value: EventCatalog | CatalogContract | unknown): CatalogContract {
  return isEventCatalog(value) ? toContract(value) : readContract(value);
}

/**
 * Compares two versions of an event catalog and says whether the change is safe, and every change
 * it found. Each side is a catalog (`defineEvents`) or its saved contract (`toContract(events)`,
 * `sse-catalog snapshot`). A change is judged on the JSON Schemas of both: for `backward`, every
 * payload the previous catalog could send must pass the next catalog's validation; for `forward`,
 * every payload the next catalog can send must pass the previous one's. What cannot be proved is
 * reported (a false alarm is possible, a missed break is a bug): in particular a change to a part
 * of the schema that zod checks beyond its JSON Schema (a refinement, a pipe, `z.date()`). An
 * event whose contract did not change is compatible.
 *
 * An event added breaks nothing: clients skip event types they do not know. An event removed
 * breaks `backward`: events of that type stored before the deploy reach new clients on replay.
 *
 * @param previous - the catalog as it was (the committed snapshot)
 * @param next - the catalog as it will be
 * @param options - `mode`: the directions that must hold (default `full`)
 * @throws {@link ProtocolError} `invalid-contract` when a side is neither a catalog nor a contract
 *
 * @example
 * ```ts
 * const result = checkCompatibility(JSON.parse(readFileSync('events.contract.json', 'utf8')), events);
 * if (!result.compatible) for (const finding of result.findings) console.log(finding.message);
 * ```
 */
export function checkCompatibility(
  previous: EventCatalog | CatalogContract,
  next: EventCatalog | CatalogContract,
  options: CompatibilityOptions = {},
): CompatibilityResult {
  const mode = options.mode ?? 'full';
  const before = contractOf(previous);
  const after = contractOf(next);
  const breaking = new Map<string, CompatibilityFinding>();
  const add = (event: string, path: string, named: Named, direction: CompatibilityDirection) => {
    const key = `${event}\u0000${path}\u0000${named.kind}`;
    const known = breaking.get(key);
    if (known === undefined) breaking.set(key, { event, path, ...named, breaks: [direction] });
    else if (!known.breaks.includes(direction))
      breaking.set(key, { ...known, breaks: [...known.breaks, direction] });
  };
  const safe: CompatibilityFinding[] = [];
  const names = [...new Set([...Object.keys(before.events), ...Object.keys(after.events)])];
  for (const event of names) {
    // Own properties only: an event may be named `valueOf`, `constructor` or `__proto__`.
    const old = Object.hasOwn(before.events, event) ? before.events[event] : undefined;
    const now = Object.hasOwn(after.events, event) ? after.events[event] : undefined;
    if (now === undefined) {
      add(
        event,
        '$',
        {
          kind: 'event-removed',
          message: `event ${JSON.stringify(event)} was removed: events of it stored before the deploy still reach new clients on replay`,
          fix: 'stop publishing it, and remove it from the catalog once the replay window has passed',
        },
        'backward',
      );
      continue;
    }
    if (old === undefined) {
      safe.push({
        event,
        path: '$',
        kind: 'event-added',
        breaks: [],
        message: `event ${JSON.stringify(event)} was added (clients that do not know it skip it)`,
        fix: '',
      });
      continue;
    }
    // An unchanged event is compatible with itself. (Its output may still not pass its input, as
    // with a transform: that is no change between the two catalogs, and not for this check to judge.)
    if (canonicalJson(old) === canonicalJson(now)) continue;
    for (const gap of coverageGaps(now.input, old.output))
      add(event, gap.path, nameGap(gap, 'backward'), 'backward');
    for (const gap of coverageGaps(old.input, now.output))
      add(event, gap.path, nameGap(gap, 'forward'), 'forward');
    safeFieldChanges(event, old.output, now.output, '$', safe);
  }
  const reported = new Set([...breaking.values()].map((finding) => `${finding.event}\u0000${finding.path}`));
  const findings = [
    ...breaking.values(),
    ...safe.filter((finding) => !reported.has(`${finding.event}\u0000${finding.path}`)),
  ];
  const required: CompatibilityDirection[] = mode === 'full' ? ['backward', 'forward'] : [mode];
  const compatible = !findings.some((finding) =>
    finding.breaks.some((direction) => required.includes(direction)),
  );
  return { compatible, mode, findings };
}
