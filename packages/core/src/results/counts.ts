/** Error counts by class, counts by name (syscalls, status codes) and per-connection completion counts, as a point records them. */
import { ERROR_CLASSES, type ErrorCounts, type PerConnectionSummary } from './model.js';

/** Zero errors of every class. */
export function emptyErrors(): ErrorCounts {
  return { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0, tls: 0 };
}

/** Every error class present, as a number: absent classes are zero. */
export function normaliseErrors(errors: Partial<ErrorCounts> | undefined): ErrorCounts {
  const out = emptyErrors();
  for (const k of ERROR_CLASSES) out[k] = Number(errors?.[k] ?? 0);
  return out;
}

/** Min, max, mean and starved connections of per-connection completion counts (the counts kept). */
export function summarisePerConnection(counts: number[]): PerConnectionSummary {
  const n = counts.length;
  return {
    connections: n,
    min: n ? Math.min(...counts) : 0,
    max: n ? Math.max(...counts) : 0,
    mean: n ? Math.round((counts.reduce((a, b) => a + b, 0) / n) * 100) / 100 : 0,
    starved: counts.filter((c) => c === 0).length,
    counts,
  };
}

/**
 * Counts by name (syscalls, status codes) of several parts — threads, shards, merged files — added
 * name by name; undefined when any part did not count, since the sum would then cover only some of
 * what happened. A part that counted but never saw a name has no entry for it: zero.
 */
export function addCounts(
  parts: ReadonlyArray<Record<string, number> | undefined>,
): Record<string, number> | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const total: Record<string, number> = {};
  for (const part of parts) for (const [name, n] of Object.entries(part!)) total[name] = (total[name] ?? 0) + n;
  return total;
}
