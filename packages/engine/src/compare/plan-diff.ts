/** What differs between two runs' plans, in words a user can act on. */
import { type RunPlan, stableJson } from '@iobench/core';

/** The plan fields that decide which points a run measures, with the words used to name them. */
const PLAN_FIELDS: Array<{ key: keyof RunPlan; label: string }> = [
  { key: 'servers', label: 'servers' },
  { key: 'target', label: 'target' },
  { key: 'anchors', label: 'anchors' },
  { key: 'loads', label: 'load generators' },
  { key: 'connections', label: 'connections' },
  { key: 'threads', label: 'threads' },
  { key: 'rate', label: 'rate' },
  { key: 'arrivals', label: 'arrivals' },
  { key: 'seed', label: 'seed of the Poisson arrivals' },
  { key: 'findCapacity', label: 'capacity search' },
  { key: 'requests', label: 'requests' },
  { key: 'idleConnections', label: 'idle connections' },
  { key: 'bodySize', label: 'body size' },
  { key: 'work', label: 'handler work' },
  { key: 'durationMs', label: 'duration (ms)' },
  { key: 'warmupMs', label: 'warm-up (ms)' },
  { key: 'timeoutMs', label: 'timeout (ms)' },
  { key: 'pipelining', label: 'pipelining' },
  { key: 'http2', label: 'HTTP/2' },
  { key: 'repeat', label: 'repeats' },
  { key: 'serverOptions', label: 'server options' },
  { key: 'loadOptions', label: 'load options' },
];

export type PlanField = (typeof PLAN_FIELDS)[number]['key'];

/** Which plan fields to compare: all but `ignore`, or only `only`. */
export interface PlanFieldFilter {
  ignore?: PlanField[];
  only?: PlanField[];
}

/**
 * One line per plan field that differs, e.g. `load generator: undici in a.json, wrk in b.json`;
 * for options, one line per option that differs (`server options epoll.edgeTriggered: true in
 * a.json, false in b.json`), never whole option objects. `fields` narrows what is compared
 * (compare does not care about repeats).
 */
export function diffPlans(
  a: RunPlan,
  b: RunPlan,
  names: [string, string],
  fields: PlanField[] | PlanFieldFilter = [],
): string[] {
  const { ignore = [], only } = Array.isArray(fields) ? { ignore: fields } : fields;
  const lines: string[] = [];
  for (const { key, label } of PLAN_FIELDS) {
    if (ignore.includes(key) || (only && !only.includes(key))) continue;
    if (stableJson(a[key]) === stableJson(b[key])) continue;
    if (isRecord(a[key]) || isRecord(b[key])) {
      for (const [path, va, vb] of leafDifferences(a[key], b[key]))
        lines.push(`${label} ${path}: ${show(va)} in ${names[0]}, ${show(vb)} in ${names[1]}`);
    } else {
      lines.push(`${label}: ${show(a[key])} in ${names[0]}, ${show(b[key])} in ${names[1]}`);
    }
  }
  return lines;
}

/** The dotted paths at which two option records differ, with the value on each side. */
function leafDifferences(a: unknown, b: unknown): Array<[string, unknown, unknown]> {
  const la = leaves(a);
  const lb = leaves(b);
  const paths = [...new Set([...la.keys(), ...lb.keys()])].sort();
  return paths
    .filter((path) => stableJson(la.get(path)) !== stableJson(lb.get(path)))
    .map((path) => [path, la.get(path), lb.get(path)]);
}

function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object'))
    return value.length ? value.join(',') : '(none)';
  if (typeof value === 'string') return value;
  return stableJson(value);
}
