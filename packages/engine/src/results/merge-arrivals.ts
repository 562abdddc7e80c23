/**
 * Whether the Poisson arrivals a merge adds up were independent. Independent Poisson streams
 * superpose into one Poisson stream at the summed rate, so runs drawn from different seeds merge
 * into the point one generator at the total rate would have measured. Runs drawn from one seed are
 * the same draws (each host's threads derive their seeds from it alike): started together, they
 * sent in step — every arrival several times over, in bursts — and their merged latency is not
 * that of Poisson arrivals at the summed rate. Shards of one run never share a seed (`shardSeed`);
 * separate runs given one `--seed` (a config file copied to every host) do.
 */
import type { PointMergeSummary, PointResult } from '@iobench/core';
import type { MergeCheck } from './merge-checks.js';

/**
 * What is wrong with a merged Poisson point whose parts drew from one seed, in a sentence;
 * undefined when every part drew its own (or the point is not Poisson).
 */
export function sharedSeedProblem(
  point: Pick<PointResult, 'id' | 'params'>,
  merge: PointMergeSummary,
): string | undefined {
  if (point.params.arrivals !== 'poisson') return undefined;
  const bySeed = new Map<number, string[]>();
  for (const part of merge.parts) {
    if (part.seed !== undefined) bySeed.set(part.seed, [...(bySeed.get(part.seed) ?? []), part.file]);
  }
  const shared = [...bySeed].filter(([, files]) => files.length > 1);
  if (shared.length === 0) return undefined;
  const which = shared.map(([seed, files]) => `${files.join(' and ')} with seed ${seed}`).join('; ');
  return `${point.id}: runs drew the same Poisson arrivals (${which}): they sent in step, not as independent users, so the merged latency is not that of Poisson arrivals at the summed rate`;
}

/** Merge's check that runs drew independent arrivals (see merge-checks.ts). */
export const sharedSeedCheck: MergeCheck = {
  problem: sharedSeedProblem,
  refusal: 'add up runs that drew the same Poisson arrivals',
  suggestions: [
    'give each load host its own --seed, or none (each run then draws a random one), or run them as shards (--shard i/N), which draw distinct arrivals from one seed',
  ],
};
