/**
 * What `merge` checks of the points it added up, beyond "one plan, the same points": whether the
 * runs measured together (merge-overlap.ts) and whether their Poisson arrivals were independent
 * (merge-arrivals.ts). Each check names what is wrong with a merged point in a sentence; merge
 * warns with every sentence, and `--strict` refuses with the first check that has any.
 */
import { type PointMergeSummary, type PointResult, ResultsMismatchError } from '@iobench/core';
import { sharedSeedCheck } from './merge-arrivals.js';
import { overlapCheck } from './merge-overlap.js';

export interface MergeCheck {
  /** What is wrong with a merged point, in a sentence that names it; undefined when nothing is. */
  problem(point: PointResult, merge: PointMergeSummary): string | undefined;
  /** `--strict`'s refusal, after "N point(s)": what the points it names have in common. */
  refusal: string;
  suggestions: string[];
}

const MERGE_CHECKS: readonly MergeCheck[] = [overlapCheck, sharedSeedCheck];

/** One check's problems, a sentence each, over every merged point. */
export function checkProblems(check: MergeCheck, points: PointResult[]): string[] {
  return points.flatMap((p) => {
    const problem = p.merge ? check.problem(p, p.merge) : undefined;
    return problem ? [problem] : [];
  });
}

/** Every check's problems: what `merge` warns of. */
export function mergeWarnings(points: PointResult[]): string[] {
  return MERGE_CHECKS.flatMap((check) => checkProblems(check, points));
}

/** `merge --strict`: the error of the first check with problems, naming every point; undefined when none has. */
export function strictMergeError(points: PointResult[]): ResultsMismatchError | undefined {
  for (const check of MERGE_CHECKS) {
    const problems = checkProblems(check, points);
    if (problems.length === 0) continue;
    return new ResultsMismatchError(
      `refusing to merge (--strict): ${problems.length} point(s) ${check.refusal}:\n  ${problems.join('\n  ')}`,
      { suggestions: [...check.suggestions, 'without --strict, merge warns and merges anyway'] },
    );
  }
  return undefined;
}
