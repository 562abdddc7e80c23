/**
 * The parameters a plan can sweep, in one table: how each is named in point ids, in titles and in
 * table headers, and where a point keeps its value. The plan derives `plan.sweep` (the parameters
 * that take more than one value) from it once; every reporter reads `plan.sweep` from the results
 * file and shows a column for each, so two points never differ only in their numbers.
 */
import type { PointResult, ResultsFile, SweepDimension, SweepKey } from './model.js';

/** How a sweepable parameter is named. */
export interface SweepParameter {
  key: SweepKey;
  /** Prefix of the value in point ids: `c8`, `idle8000`, `work-cpu:100`. */
  idTag: string;
  /** Words for titles and axes: `idle connections`. */
  label: string;
  /** Short table header: `idle`. */
  column: string;
}

/** Sweepable parameters in the order they nest in a plan (outermost first). */
export const SWEEP_PARAMETERS: readonly SweepParameter[] = [
  { key: 'connections', idTag: 'c', label: 'connections', column: 'conns' },
  { key: 'threads', idTag: 't', label: 'generator threads', column: 'threads' },
  { key: 'rate', idTag: 'rate', label: 'request rate (req/s)', column: 'rate' },
  { key: 'idleConnections', idTag: 'idle', label: 'idle connections', column: 'idle' },
  { key: 'bodySize', idTag: 'body', label: 'body size (bytes)', column: 'body B' },
  { key: 'work', idTag: 'work-', label: 'handler work', column: 'work' },
];

/** The naming of one sweepable parameter. */
export function sweepParameter(key: SweepKey): SweepParameter {
  return SWEEP_PARAMETERS.find((p) => p.key === key)!;
}

/** The value a point has for a sweepable parameter (undefined when the plan did not set it). */
export function sweepValue(point: Pick<PointResult, 'params'>, key: SweepKey): number | string | undefined {
  return point.params[key];
}

/**
 * The parameters that vary across a run's points, in plan order, as the plan recorded them. Files
 * written before `plan.sweep` existed get it derived from their points.
 */
export function variedParameters(results: Pick<ResultsFile, 'plan' | 'points'>): SweepDimension[] {
  if (results.plan.sweep) return results.plan.sweep;
  return SWEEP_PARAMETERS.map(({ key }) => ({
    key,
    values: [...new Set(results.points.map((p) => sweepValue(p, key)).filter((v) => v !== undefined))],
  })).filter((d) => d.values.length > 1);
}
