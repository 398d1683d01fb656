// Numeric bounds of a JSON Schema node (`minimum`, `exclusiveMinimum`, `maximum`,
// `exclusiveMaximum`) and whether a writer's bound stays within a reader's: part of the coverage
// check in schema-coverage.ts.

type Node = Record<string, unknown>;

/** One end of a numeric range. */
export interface Bound {
  value: number;
  exclusive: boolean;
}

/** The lower end of a node's range, or `null` when unbounded. */
export function lowerBound(node: Node): Bound | null {
  const inclusive = typeof node.minimum === 'number' ? node.minimum : null;
  const exclusive = typeof node.exclusiveMinimum === 'number' ? node.exclusiveMinimum : null;
  if (exclusive !== null && (inclusive === null || exclusive >= inclusive))
    return { value: exclusive, exclusive: true };
  return inclusive === null ? null : { value: inclusive, exclusive: false };
}

/** The upper end of a node's range, or `null` when unbounded. */
export function upperBound(node: Node): Bound | null {
  const inclusive = typeof node.maximum === 'number' ? node.maximum : null;
  const exclusive = typeof node.exclusiveMaximum === 'number' ? node.exclusiveMaximum : null;
  if (exclusive !== null && (inclusive === null || exclusive <= inclusive))
    return { value: exclusive, exclusive: true };
  return inclusive === null ? null : { value: inclusive, exclusive: false };
}

/** Whether the writer's lower bound is at least the reader's (`null`: unbounded). */
export function lowerCovered(reader: Bound | null, writer: Bound | null): boolean {
  if (reader === null) return true;
  if (writer === null) return false;
  if (writer.value !== reader.value) return writer.value > reader.value;
  return writer.exclusive || !reader.exclusive;
}

export function upperCovered(reader: Bound | null, writer: Bound | null): boolean {
  if (reader === null) return true;
  if (writer === null) return false;
  if (writer.value !== reader.value) return writer.value < reader.value;
  return writer.exclusive || !reader.exclusive;
}

export const describeBound = (bound: Bound | null, lower: boolean): string =>
  bound === null
    ? 'none'
    : `${lower ? (bound.exclusive ? '>' : '>=') : bound.exclusive ? '<' : '<='} ${bound.value}`;
