const XML_ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for SVG/XML content and attribute values.
 *
 * @param text - any text
 * @returns the escaped text
 *
 * @example
 * ```ts
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => XML_ENTITIES[c] as string);
}

/**
 * The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above `value`, for
 * axis maxima.
 *
 * @param value - a positive number
 * @returns the round bound (1 for non-positive or non-finite input)
 *
 * @example
 * ```ts
 * niceCeil(347); // 500
 * niceCeil(0.83); // 1
 * ```
 */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value * (1 - 1e-9)) return step * power;
  }
  return 10 * power;
}

/**
 * Formats a number with at most two decimals and no trailing zeros, for SVG coordinates.
 *
 * @param value - a coordinate
 * @returns the text
 *
 * @example
 * ```ts
 * coordinate(12.3456); // '12.35'
 * ```
 */
export function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}
