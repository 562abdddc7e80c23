/**
 * Whether the runs a merge adds up loaded the server at the same time. Merging adds their request
 * rates, which describes one load only for the time every run was measuring: two runs made one
 * after the other, merged, report a load that never happened. A sharded run is started together
 * by construction (its skew is reported instead); separate runs are checked here.
 */
import type { MeasuredStart, PointMergeSummary, PointResult } from '@iobench/core';
import type { MergeCheck } from './merge-checks.js';

/**
 * Least share of the longest measured phase, in percent, that every merged run must have measured
 * together. Hosts started by hand, or by a job scheduler, start a few seconds apart; below half the
 * phase, most of what was summed was measured while some host was idle.
 */
export const MIN_OVERLAP_PCT = 50;

/** One run's measured phase in a merged point, by its host's clock. */
export interface MeasuredPhase {
  file: string;
  start?: MeasuredStart;
  durationMs: number;
}

/**
 * The share of the longest measured phase, in percent, during which every phase was running (0
 * when some never ran together); undefined when some phase's start is not recorded.
 */
export function overlapPct(phases: MeasuredPhase[]): number | undefined {
  const spans = phases.map((p) => {
    const start = startMs(p.start);
    return start === undefined ? undefined : { start, end: start + p.durationMs };
  });
  if (spans.some((s) => s === undefined) || spans.length === 0) return undefined;
  const known = spans as Array<{ start: number; end: number }>;
  const together = Math.min(...known.map((s) => s.end)) - Math.max(...known.map((s) => s.start));
  const longest = Math.max(...phases.map((p) => p.durationMs));
  if (longest <= 0) return undefined;
  return Math.round((Math.max(0, together) / longest) * 1000) / 10;
}

/**
 * What is wrong with the overlap of a merged point's parts, in a sentence; undefined when they
 * measured together (or were shards of one run, which start together by construction).
 */
export function overlapProblem(point: Pick<PointResult, 'id'>, merge: PointMergeSummary): string | undefined {
  if (merge.parts.some((p) => p.shard !== undefined)) return undefined;
  const pct = merge.overlapPct;
  if (pct === undefined)
    return `${point.id}: cannot tell whether the runs measured at the same time (a file records no measured start)`;
  if (pct >= MIN_OVERLAP_PCT) return undefined;
  const when = merge.parts.map((p) => `${p.file} from ${p.measuredStart?.at ?? '?'}`).join(', ');
  return pct === 0
    ? `${point.id}: the runs' measured phases do not overlap (${when}): their req/s were added as if they had loaded the server together`
    : `${point.id}: the runs' measured phases overlap for only ${pct}% of the longest (${when}; at least ${MIN_OVERLAP_PCT}% expected)`;
}

/** Merge's check that the runs measured together (see merge-checks.ts). */
export const overlapCheck: MergeCheck = {
  problem: overlapProblem,
  refusal: 'were not measured at the same time by every run',
  suggestions: [
    'start the load hosts together: the same `iobench run --target URL --start-at <instant>` on each, or a sharded run (`--shard i/N`)',
  ],
};

/**
 * A measured start in epoch milliseconds: from the intended instant and the offset when there is
 * one (precise to 0.01 ms), else from the ISO time (to the millisecond).
 */
export function startMs(start: MeasuredStart | undefined): number | undefined {
  if (!start) return undefined;
  if (start.intendedAt !== undefined && start.offsetMs !== undefined)
    return Date.parse(start.intendedAt) + start.offsetMs;
  return Date.parse(start.at);
}
