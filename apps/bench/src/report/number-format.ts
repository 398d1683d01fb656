const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A count or rate with thousands separators and sensible precision (`1,234`, `56.7`, `3.45`).
 *
 * @param value - the number
 * @returns the text, or `n/a` for NaN
 *
 * @example
 * ```ts
 * formatCount(123456.7); // '123,457'
 * formatCount(12.345); // '12.3'
 * ```
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return grouped.format(value);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * A ratio as `1.23x`.
 *
 * @param value - the ratio
 * @returns the text, or `n/a` for NaN
 *
 * @example
 * ```ts
 * formatRatio(1.234); // '1.23x'
 * ```
 */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

/**
 * Milliseconds with one decimal: `12.3 ms`.
 *
 * @param value - milliseconds
 * @returns the text, or `n/a` for NaN
 *
 * @example
 * ```ts
 * formatMs(12.34); // '12.3 ms'
 * ```
 */
export function formatMs(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a';
}

/**
 * A byte count in KiB with one decimal (`9.9 KiB`), or in MiB/GiB when larger.
 *
 * @param bytes - the size
 * @returns the text, or `n/a` for NaN
 *
 * @example
 * ```ts
 * formatBytes(10_140); // '9.9 KiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A whole number with thousands separators (`10,000`).
 *
 * @param value - the number (rounded)
 * @returns the text, or `n/a` for NaN
 *
 * @example
 * ```ts
 * formatInteger(10000); // '10,000'
 * ```
 */
export function formatInteger(value: number): string {
  return Number.isFinite(value) ? grouped.format(Math.round(value)) : 'n/a';
}
