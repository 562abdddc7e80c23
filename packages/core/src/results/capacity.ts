/** Capacity searches (`--find-capacity`): what each found, and the probes it measured. */
import { z } from 'zod';
import { formatCount } from './format.js';
import { count } from './measures.js';
import { pointParams } from './plan.js';

/** A point measured as one probe of a capacity search. */
export const capacityProbe = z.object({
  /** The search it belongs to: the point id without rate and repeat, e.g. `epoll/native/c64`. */
  search: z.string(),
  /**
   * `saturation`: the closed-model probe that bounds the search; `search`: bracketing and bisecting
   * the open-model rate; `confirm`: a search probe's failure probed once more before it counts (one
   * short probe can miss by the generator's own jitter); `repeat`: a refinement round that gives the answer its interval.
   */
  phase: z.enum(['saturation', 'search', 'confirm', 'repeat']),
  /** The refinement round (0-based), for `repeat` probes. */
  round: count.optional(),
  /** The probe met every SLO, kept its schedule and did not saturate the generator. */
  pass: z.boolean(),
  /** Why it did not pass, in words. */
  reason: z.string().optional(),
});
export type CapacityProbe = z.output<typeof capacityProbe>;

/**
 * What an unfinished search had established when it stopped: the highest rate that passed and the
 * lowest that failed (a failure below the ceiling counts once confirmed), the search's own bracket.
 */
export const capacityBracket = z.object({
  highestPassRps: z.number().optional(),
  lowestFailRps: z.number().optional(),
});
export type CapacityBracket = z.output<typeof capacityBracket>;

/** What a capacity search found for one server (or target) under one load and parameter set. */
export const capacityResult = z.object({
  /** The search, as its probes name it: `epoll/native/c64`. */
  search: z.string(),
  server: z.string(),
  anchor: z.boolean().optional(),
  load: z.string(),
  /** The parameters every probe shares (rate aside). */
  params: pointParams,
  /** The SLOs each probe had to meet, as written. */
  slo: z.array(z.string()),
  /**
   * `found`: a highest passing rate; `generator-bound`: the generator saturated before the SLO broke
   * (capacity is above `rate`); `none`: even the lowest rate probed missed the SLO; `failed` or
   * `interrupted`: the search did not finish.
   */
  outcome: z.enum(['found', 'generator-bound', 'none', 'failed', 'interrupted']),
  /** The capacity, requests per second: the median of the rounds' estimates. */
  rate: z.number().optional(),
  /** The lowest and highest estimate of the refinement rounds. */
  low: z.number().optional(),
  high: z.number().optional(),
  /** Each refinement round's highest passing rate (an interrupted search: the rounds it finished). */
  estimates: z.array(z.number()),
  /** `interrupted`: the bracket known when the search stopped (absent when it stopped before judging a rate). */
  bracket: capacityBracket.optional(),
  /** Closed-model throughput at the same connections: the ceiling the search started from. */
  saturationRps: z.number().optional(),
  /** Probes measured. */
  probes: count,
  /** The answer in words: `41,800 req/s at p99<1ms (40,900–42,500, 3 repeats)`. */
  summary: z.string(),
});
export type CapacityResult = z.output<typeof capacityResult>;

/**
 * An unfinished search's bracket in words: `between 1,460 and 1,710 req/s`, `below 1,950 req/s`
 * (nothing passed yet), `at least 3,860 req/s` (nothing failed yet); undefined when no rate was judged.
 */
export function capacityBracketText(bracket: CapacityBracket | undefined): string | undefined {
  const pass = bracket?.highestPassRps;
  const fail = bracket?.lowestFailRps;
  if (pass !== undefined && fail !== undefined) return `between ${formatCount(pass)} and ${formatCount(fail)} req/s`;
  if (fail !== undefined) return `below ${formatCount(fail)} req/s`;
  if (pass !== undefined) return `at least ${formatCount(pass)} req/s`;
  return undefined;
}
