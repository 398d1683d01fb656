import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalJson, catalogFingerprint, schemasFingerprint } from './contract-index';
import { defineEvents } from './index';

// The canonical JSON of the catalog below, written by hand from the rules (keys sorted at every
// level, `required` lists sorted), and its SHA-256 computed once with `sha256sum`: this pins the
// fingerprint to a value any runtime, or a team without TypeScript, can recompute.
const PINNED_CANONICAL_JSON =
  '{"notification":{"$schema":"https://json-schema.org/draft/2020-12/schema","additionalProperties":false,' +
  '"properties":{"message":{"type":"string"},"severity":{"enum":["info","warning","error"],"type":"string"}},' +
  '"required":["message","severity"],"type":"object"},' +
  '"user:joined":{"$schema":"https://json-schema.org/draft/2020-12/schema","additionalProperties":false,' +
  '"properties":{"name":{"type":"string"},"userId":{"type":"string"}},"required":["name","userId"],"type":"object"}}';
const PINNED_FINGERPRINT = 'sha256:20b999cdec6564a780844639e3849b08470d6c29251f1c2bbb8494e6a50fe1f9';

const pinnedCatalog = () =>
  defineEvents({
    'user:joined': z.object({ userId: z.string(), name: z.string() }),
    notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
  });

describe('catalogFingerprint(catalog)', () => {
  it('is the pinned value, recomputed independently with node:crypto', () => {
    const independent = `sha256:${createHash('sha256').update(PINNED_CANONICAL_JSON, 'utf8').digest('hex')}`;
    expect(independent).toBe(PINNED_FINGERPRINT);
    expect(catalogFingerprint(pinnedCatalog())).toBe(PINNED_FINGERPRINT);
  });

  it('is the same for the same schemas defined again, and on every read', () => {
    const catalog = pinnedCatalog();
    expect(catalogFingerprint(catalog)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(catalogFingerprint(catalog)).toBe(catalogFingerprint(catalog));
    expect(catalogFingerprint(pinnedCatalog())).toBe(catalogFingerprint(catalog));
  });

  it('does not depend on the order of events or of object fields (JSON objects are unordered)', () => {
    const reordered = defineEvents({
      notification: z.object({ severity: z.enum(['info', 'warning', 'error']), message: z.string() }),
      'user:joined': z.object({ name: z.string(), userId: z.string() }),
    });
    expect(catalogFingerprint(reordered)).toBe(PINNED_FINGERPRINT);
  });

  it('changes with every change to the contract', () => {
    const user = { userId: z.string(), name: z.string() };
    const note = { message: z.string(), severity: z.enum(['info', 'warning', 'error']) };
    const variants = {
      pinned: pinnedCatalog(),
      fieldAdded: defineEvents({
        'user:joined': z.object({ ...user, age: z.number() }),
        notification: z.object(note),
      }),
      fieldRemoved: defineEvents({
        'user:joined': z.object({ userId: z.string() }),
        notification: z.object(note),
      }),
      fieldRenamed: defineEvents({
        'user:joined': z.object({ userId: z.string(), fullName: z.string() }),
        notification: z.object(note),
      }),
      typeChanged: defineEvents({
        'user:joined': z.object({ ...user, userId: z.number() }),
        notification: z.object(note),
      }),
      madeOptional: defineEvents({
        'user:joined': z.object({ ...user, name: z.string().optional() }),
        notification: z.object(note),
      }),
      constrained: defineEvents({
        'user:joined': z.object({ ...user, name: z.string().min(1) }),
        notification: z.object(note),
      }),
      enumValueAdded: defineEvents({
        'user:joined': z.object(user),
        notification: z.object({ ...note, severity: z.enum(['info', 'warning', 'error', 'debug']) }),
      }),
      enumReordered: defineEvents({
        'user:joined': z.object(user),
        notification: z.object({ ...note, severity: z.enum(['error', 'warning', 'info']) }),
      }),
      described: defineEvents({
        'user:joined': z.object(user).describe('Someone joined'),
        notification: z.object(note),
      }),
      passthrough: defineEvents({ 'user:joined': z.looseObject(user), notification: z.object(note) }),
      eventRenamed: defineEvents({ 'user:entered': z.object(user), notification: z.object(note) }),
      eventAdded: defineEvents({
        'user:joined': z.object(user),
        notification: z.object(note),
        'user:left': z.object({ userId: z.string() }),
      }),
      eventRemoved: defineEvents({ 'user:joined': z.object(user) }),
    };
    const fingerprints = Object.entries(variants).map(([name, catalog]) => [
      name,
      catalogFingerprint(catalog),
    ]);
    expect(new Set(fingerprints.map(([, fingerprint]) => fingerprint)).size).toBe(fingerprints.length);
  });

  it('counts an event or a field named __proto__ like any other name', () => {
    const event = (schema: z.ZodType) => defineEvents({ ['__proto__']: schema });
    const field = (schema: z.ZodType) => defineEvents({ e: z.object({ ['__proto__']: schema }) });
    expect(catalogFingerprint(event(z.string()))).not.toBe(catalogFingerprint(event(z.number())));
    expect(catalogFingerprint(field(z.string()))).not.toBe(catalogFingerprint(field(z.number())));
    expect(catalogFingerprint(event(z.string()))).not.toBe(
      catalogFingerprint(defineEvents({ other: z.string() })),
    );
  });

  it('is the hash of the canonical JSON of each event data JSON Schema', () => {
    const schemas = { a: z.object({ b: z.string(), a: z.array(z.number()) }) };
    const document = {
      a: { ...z.toJSONSchema(schemas.a, { target: 'draft-2020-12' }), required: ['a', 'b'] },
    };
    const expected = `sha256:${createHash('sha256').update(canonicalJson(document)).digest('hex')}`;
    expect(schemasFingerprint(schemas)).toBe(expected);
    expect(catalogFingerprint(defineEvents(schemas))).toBe(expected);
  });

  it('sorts only required lists of schemas, not data that happens to be named required', () => {
    const withDefault = (required: string[]) =>
      defineEvents({
        e: z.object({ meta: z.object({ required: z.array(z.string()) }).default({ required }) }),
      });
    expect(catalogFingerprint(withDefault(['a', 'b']))).not.toBe(catalogFingerprint(withDefault(['b', 'a'])));
  });

  it('counts what JSON Schema cannot express as {}: a transform changed in code only keeps it', () => {
    const a = defineEvents({ e: z.object({ t: z.string().transform(Number) }) });
    const b = defineEvents({ e: z.object({ t: z.string().transform((text) => text.length) }) });
    expect(catalogFingerprint(a)).toBe(catalogFingerprint(b));
  });

  it('works for schemas JSON Schema cannot fully express, and for recursive ones', () => {
    const Node = z.object({
      name: z.string(),
      get children() {
        return z.array(Node);
      },
    });
    const catalog = defineEvents({ when: z.object({ at: z.date() }), tree: Node, big: z.bigint() });
    expect(catalogFingerprint(catalog)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every level, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('escapes strings as JSON does and reads back as the same value', () => {
    const value = { 'k"\n': 'line\nbreak 😀 \u2028', n: -0.5, t: true, list: ['b', 'a'] };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('is the same text for equal values built in any key order', () => {
    expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
  });
});
