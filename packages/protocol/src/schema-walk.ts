// Keywords whose values are instances (data), not subschemas: nothing inside them is a keyword.
const DATA_KEYWORDS = new Set(['const', 'default', 'enum', 'examples']);
// Keywords whose values map arbitrary names (which may be "const", "$ref", ...) to subschemas.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

type SchemaNode = Record<string, unknown>;

/**
 * Sets `target[key]` as an own, enumerable property, whatever the key: an assignment would set the
 * prototype for `__proto__` (an event or field name like any other) and leave no property behind.
 * For any other key it is the same as an assignment, property order included.
 *
 * @param target - the object to write into
 * @param key - the property name
 * @param value - its value
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: NoInfer<T>): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Rebuilds a JSON Schema bottom-up, passing every schema object (the root and each subschema) to
 * `visit`. Values of data keywords (`const`, `default`, `enum`, `examples`) are kept as they are,
 * and names in `properties`-like maps are never mistaken for keywords.
 *
 * @param schema - a JSON Schema (plain JSON)
 * @param visit - returns the replacement of one schema object whose subschemas are already rebuilt
 */
export function mapSchema(schema: unknown, visit: (node: SchemaNode) => SchemaNode): unknown {
  if (Array.isArray(schema)) return schema.map((item) => mapSchema(item, visit));
  if (!isNode(schema)) return schema;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key)) setOwn(out, key, value);
    else if (SCHEMA_MAPS.has(key) && isNode(value)) {
      const map: SchemaNode = {};
      for (const [name, member] of Object.entries(value)) setOwn(map, name, mapSchema(member, visit));
      setOwn(out, key, map);
    } else setOwn(out, key, mapSchema(value, visit));
  }
  return visit(out);
}
