/** Median and range (min–max) of a figure across a point's repeats. */

/** The spread of one figure across repeats. */
export interface Range {
  median: number;
  min: number;
  max: number;
  /** How many repeats the figure was taken from. */
  count: number;
}

/**
 * Median and range of `values`; undefined when there are none. With an even count the median is
 * the mean of the two middle values, as in every statistics text.
 */
export function rangeOf(values: readonly number[]): Range | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return undefined;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, count: n };
}
