// Recognising the hot fields of an event stream line in place, by char codes, with no slice of the
// line: small module functions that engines inline into the parser's loops. A line ends in CR or
// LF and charCodeAt past the string is NaN, so a check can never match beyond the line's end.

const SPACE = 32;
const COLON = 58;

/**
 * Whether the line at `pos` starts with `data:`.
 *
 * @param s - the text holding the line
 * @param pos - where the line starts
 * @param first - `s.charCodeAt(pos)`, already read by the caller
 */
export function isDataField(s: string, pos: number, first: number): boolean {
  return (
    first === 100 /* d */ &&
    s.charCodeAt(pos + 1) === 97 &&
    s.charCodeAt(pos + 2) === 116 &&
    s.charCodeAt(pos + 3) === 97 &&
    s.charCodeAt(pos + 4) === COLON
  );
}

/**
 * Whether the line at `pos` starts with `event:`.
 *
 * @param s - the text holding the line
 * @param pos - where the line starts
 * @param first - `s.charCodeAt(pos)`, already read by the caller
 */
export function isEventField(s: string, pos: number, first: number): boolean {
  return (
    first === 101 /* e */ &&
    s.charCodeAt(pos + 1) === 118 &&
    s.charCodeAt(pos + 2) === 101 &&
    s.charCodeAt(pos + 3) === 110 &&
    s.charCodeAt(pos + 4) === 116 &&
    s.charCodeAt(pos + 5) === COLON
  );
}

/**
 * Whether the line at `pos` starts with `id:`.
 *
 * @param s - the text holding the line
 * @param pos - where the line starts
 * @param first - `s.charCodeAt(pos)`, already read by the caller
 */
export function isIdField(s: string, pos: number, first: number): boolean {
  return first === 105 /* i */ && s.charCodeAt(pos + 1) === 100 && s.charCodeAt(pos + 2) === COLON;
}

/**
 * Where a field's value starts, given the position right after its colon. Spec: "If value starts
 * with a U+0020 SPACE character, remove it from value" (one space only). No bound check: at the
 * line's end stands its CR or LF, or the end of the string (NaN), never a space.
 *
 * @param s - the text holding the line
 * @param afterColon - the position right after the colon
 */
export function valueStart(s: string, afterColon: number): number {
  return s.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
}
