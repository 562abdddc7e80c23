/**
 * Durations in config, flags and variables: a number of seconds (as wrk and autocannon read it), or
 * a string with a unit: `500ms`, `2s`, `1.5m`, `1h`. A bare number in a string (`"5"`) is seconds too.
 */

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

/** The longest duration any setting accepts: past it, `duration: 5000` almost surely meant milliseconds. */
export const MAX_DURATION_MS = 3_600_000;

/** A duration as read: milliseconds (possibly zero or negative), and whether it had no unit. */
export interface ParsedDuration {
  ms: number;
  /** True for a bare number (read as seconds). */
  bare: boolean;
}

/** Reads a duration, or returns undefined when it is not one. Bare numbers are seconds. */
export function readDuration(value: string | number): ParsedDuration | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { ms: value * 1000, bare: true } : undefined;
  const m = DURATION_RE.exec(value);
  if (!m) return undefined;
  return { ms: Number(m[1]) * UNITS_MS[m[2] ?? 's']!, bare: m[2] === undefined };
}

/** Parses a duration into milliseconds, or returns undefined when it is not a non-negative one. */
export function parseDurationMs(value: string | number): number | undefined {
  const parsed = readDuration(value);
  return parsed && parsed.ms >= 0 ? parsed.ms : undefined;
}
