/** What differs between two runs' plans, in words a user can act on. */
import type { RunPlan } from '../results/types.js';

/** The plan fields that decide which points a run measures, with the words used to name them. */
const PLAN_FIELDS: Array<{ key: keyof RunPlan; label: string }> = [
  { key: 'servers', label: 'servers' },
  { key: 'target', label: 'target' },
  { key: 'anchors', label: 'anchors' },
  { key: 'load', label: 'load generator' },
  { key: 'connections', label: 'connections' },
  { key: 'threads', label: 'threads' },
  { key: 'rate', label: 'rate' },
  { key: 'requests', label: 'requests' },
  { key: 'idleConnections', label: 'idle connections' },
  { key: 'bodySize', label: 'body size' },
  { key: 'work', label: 'handler work' },
  { key: 'durationMs', label: 'duration (ms)' },
  { key: 'warmupMs', label: 'warm-up (ms)' },
  { key: 'timeoutMs', label: 'timeout (ms)' },
  { key: 'pipelining', label: 'pipelining' },
  { key: 'repeat', label: 'repeats' },
  { key: 'serverOptions', label: 'server options' },
  { key: 'loadOptions', label: 'load options' },
];

export type PlanField = (typeof PLAN_FIELDS)[number]['key'];

/**
 * One line per plan field that differs, e.g. `load generator: undici in a.json, wrk in b.json`.
 * `ignore` leaves out fields that do not matter to the caller (compare does not care about repeats).
 */
export function diffPlans(a: RunPlan, b: RunPlan, names: [string, string], ignore: PlanField[] = []): string[] {
  const lines: string[] = [];
  for (const { key, label } of PLAN_FIELDS) {
    if (ignore.includes(key)) continue;
    const va = stableJson(a[key]);
    const vb = stableJson(b[key]);
    if (va === vb) continue;
    lines.push(`${label}: ${show(a[key])} in ${names[0]}, ${show(b[key])} in ${names[1]}`);
  }
  return lines;
}

/** JSON with object keys sorted, so that equal values print equally whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object'))
    return value.length ? value.join(',') : '(none)';
  if (typeof value === 'string') return value;
  return stableJson(value);
}
