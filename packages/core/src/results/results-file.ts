/**
 * The results file: what `iobench run` writes to `<out>/results.json` and what `report`, `compare`,
 * `merge` and reporters read back, as one zod schema whose parts live beside it (measures, plan,
 * environment, point, profiles, capacity); every type is derived from its schema, so the two cannot
 * drift. `readResultsFile` checks a file against it before anything touches it, so that a corrupt or
 * hand-edited file is an error naming the field instead of a crash deep in a reporter. Bump
 * `RESULTS_SCHEMA_VERSION` on any incompatible change.
 */
import { z } from 'zod';
import { capacityResult } from './capacity.js';
import { runEnvironment, shardRecord } from './environment.js';
import { failureRecord } from './measures.js';
import { runPlan } from './plan.js';
import { pointResult } from './point.js';

export const RESULTS_SCHEMA_VERSION = 1;

/**
 * The whole results file. Unknown keys are allowed (a merged file adds `env.hosts`; newer minor
 * versions may add fields); readers keep the file as written rather than this schema's output.
 */
export const resultsFileSchema = z.object({
  schemaVersion: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  /**
   * `running` while points are still being written; then `complete`, `interrupted` (Ctrl-C), or
   * `failed` (every point failed, or the run stopped on an error). A file left `running` belongs to a
   * run still going or killed outright.
   */
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  /** The error that stopped the run, when one did (a plugin that threw, a server that would not start). */
  error: failureRecord.optional(),
  env: runEnvironment,
  /** The plan this run measured (for a shard: its own share of connections, rate and requests). */
  plan: runPlan,
  /** Present when this run measured one shard of a plan; `plan` then holds the shard's share. */
  shard: shardRecord.optional(),
  points: z.array(pointResult),
  /** `--find-capacity`: what each search found; its probes are among `points`. */
  capacity: z.array(capacityResult).optional(),
});
export type ResultsFile = z.output<typeof resultsFileSchema>;
