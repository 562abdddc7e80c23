/**
 * Which parameters make two runs' points the same measurement: the one definition that `compare`
 * (matching points across runs) and `merge` (adding up runs that loaded one server together) share.
 */
import { type PointParams, type PointResult, stableJson } from '@iobench/core';
import type { PlanField } from '../compare/plan-diff.js';

/** A point parameter that is also the plan field of that name, so that one list serves points and plans. */
export type PointPlanParam = keyof PointParams & PlanField;

/**
 * Parameters that pick one sample of the offered load, not the load: the seed of Poisson arrivals.
 * Another seed draws another sample of the same arrival process, as a repeat does (and a run not
 * given `--seed` draws one at random, so two runs' seeds always differ). Runs that differ in them
 * still add up: independent Poisson streams superpose into one Poisson stream at the summed rate,
 * so load hosts (or shards) that drew with different seeds offered the server together what one
 * generator drawing at the total rate would have.
 */
export const SAMPLE_PARAMS = ['seed'] as const satisfies readonly PointPlanParam[];

/**
 * Parameters that do not change what is measured: the sample's (above) and the warm-up, which ends
 * before measuring starts. Compare matches points across them and lists them as ignored. Merge keeps
 * the warm-up apart: `--start-at` spaces a run's points by warm-up + duration, so hosts warming up
 * differently measure their later points at different times.
 */
export const UNMEASURED_PARAMS = ['warmupMs', ...SAMPLE_PARAMS] as const satisfies readonly PointPlanParam[];

/**
 * What makes two runs' points the same measurement: server, load, and every parameter (the ones
 * the plan varies and the fixed ones alike) but `ignoring` — by default those that do not change
 * what is measured.
 */
export function measurementIdentity(
  point: Pick<PointResult, 'server' | 'load' | 'params'>,
  ignoring: readonly PointPlanParam[] = UNMEASURED_PARAMS,
): string {
  const params: Partial<PointParams> = { ...point.params };
  for (const key of ignoring) delete params[key];
  return stableJson([point.server, point.load, params]);
}
