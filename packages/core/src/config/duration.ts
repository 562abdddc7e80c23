/** Durations in config and flags: a number of milliseconds, or a string like `500ms`, `2s`, `1.5m`. */

const UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|m|h)?\s*$/;

/** Parses a duration into milliseconds, or returns undefined when it is not one. Bare numbers are ms. */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = DURATION_RE.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNITS_MS[m[2] ?? 'ms']!;
}

/** `1500` -> `1.5s`, `250` -> `250ms`: for messages and tables. */
export function formatDurationMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${Number(ms.toFixed(3))}ms`;
}
