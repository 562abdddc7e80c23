/**
 * Compares two runs: point by point — for every point both runs measured (same server, load and
 * parameters, settings that do not change what is measured aside), the change in each figure from
 * run A to run B — or, for two capacity runs (`--find-capacity`), search by search (capacity.ts).
 * Every change is judged by the one rule (change.ts) and, optionally, against a regression threshold.
 */

import type { ResultsFile } from '@iobench/core';
import { ResultsMismatchError } from '@iobench/core';
import { measurementIdentity, UNMEASURED_PARAMS } from '../results/point-identity.js';
import { type CapacityComparison, compareCapacities, isCapacityRun, mixedRunsError } from './capacity.js';
import { changeOf, type MetricChange } from './change.js';
import { diffPlans } from './plan-diff.js';
import { COMPARE_METRICS, type CompareMetric, type RepeatGroup, summariseRepeats } from './repeats.js';

/** Figures a regression gate can watch: req/s dropping or p99 rising. */
export type GateMetric = Extract<CompareMetric, 'rps' | 'p99'>;

export interface CompareOptions {
  /** How the two runs are named in messages, usually their file paths. */
  names?: [string, string];
  /**
   * A point regresses when a gated figure's median got worse by more than this many percent and the
   * change is not noise (see `MetricChange.noise`); a capacity search, when its capacity fell so.
   */
  failIfSlowerPct?: number;
  /** Figures the threshold applies to on points. Default: `['rps']`. Capacity searches gate their capacity. */
  gateMetrics?: GateMetric[];
}

/** One point measured by both runs. */
export interface PointComparison {
  label: string;
  server: string;
  load: string;
  params: RepeatGroup['params'];
  repeats: { a: number; b: number };
  generatorBound: { a: boolean; b: boolean };
  /** Figures both runs have (server CPU is absent for `--target` runs). */
  metrics: Partial<Record<CompareMetric, MetricChange>>;
}

/** Which run a side of the comparison is. */
export interface ComparedRun {
  name: string;
  hostname: string;
  createdAt: string;
  status: ResultsFile['status'];
}

/** A gated change beyond the threshold: a point's figure, or a search's capacity. */
export interface GatedChange {
  label: string;
  metric: GateMetric | 'capacity';
  /** The change in percent of A's median; for a bound (B's capacity below its lowest probe), the least drop. */
  changePct: number;
  /** Words for a change that is a bound rather than the difference of two medians. */
  detail?: string;
}

export interface ComparisonResult {
  a: ComparedRun;
  b: ComparedRun;
  failIfSlowerPct?: number;
  gateMetrics: GateMetric[];
  /** The points compared; empty for capacity runs, whose probes are the searches' evidence, not points to compare. */
  points: PointComparison[];
  /** Capacity runs: every search both ran, compared or with the reason it is not. */
  capacity?: CapacityComparison[];
  /** Points (labels) only run A measured, and only run B; for capacity runs, searches. */
  onlyInA: string[];
  onlyInB: string[];
  /** Points both runs planned where one side has no successful repeat; searches without two capacities to compare. */
  notCompared: Array<{ label: string; reason: string }>;
  /** Plan fields that differ (repeats aside), in words. */
  planDifferences: string[];
  /** Differences compare matched points across because they do not change what is measured (warm-up, seed), in words. */
  ignored: string[];
  regressions: GatedChange[];
  /**
   * Gated figures whose median got worse by more than the threshold while the ranges overlap: noise
   * by the rule, so not regressions; listed so that a wide spread cannot hide one silently.
   */
  withinNoise: GatedChange[];
  /**
   * True when some compared point has a single repeat on a side (some search a single refinement
   * round): no spread to judge noise by.
   */
  singleRepeat: boolean;
}

/** What matching the two runs' points (or searches) gives: the comparison without its header. */
export type MatchedRuns = Omit<
  ComparisonResult,
  'a' | 'b' | 'failIfSlowerPct' | 'gateMetrics' | 'planDifferences' | 'ignored'
>;

/**
 * Matches the points of `a` and `b` (the searches, for two capacity runs) and reports each change.
 * Throws `ResultsMismatchError` when nothing matches, naming how the plans differ, and when one run
 * searched for capacity and the other measured points, saying what each holds.
 */
export function compareResults(a: ResultsFile, b: ResultsFile, options: CompareOptions = {}): ComparisonResult {
  const names = options.names ?? ['A', 'B'];
  const gateMetrics = options.gateMetrics ?? ['rps'];
  const planDifferences = diffPlans(a.plan, b.plan, names, { ignore: ['repeat', ...UNMEASURED_PARAMS] });
  const ignored = diffPlans(a.plan, b.plan, names, { only: [...UNMEASURED_PARAMS] });
  if (isCapacityRun(a) !== isCapacityRun(b)) throw mixedRunsError(a, b, names);
  const matched = isCapacityRun(a)
    ? compareCapacities(a, b, names, options.failIfSlowerPct)
    : comparePoints(
        a,
        b,
        names,
        options.failIfSlowerPct === undefined ? undefined : { pct: options.failIfSlowerPct, metrics: gateMetrics },
      );
  if (matched.points.length + matched.notCompared.length + (matched.capacity?.length ?? 0) === 0)
    throw noMatch(a, b, names, planDifferences);
  return {
    a: describeRun(a, names[0]),
    b: describeRun(b, names[1]),
    ...(options.failIfSlowerPct !== undefined ? { failIfSlowerPct: options.failIfSlowerPct } : {}),
    gateMetrics,
    ...matched,
    planDifferences,
    ignored,
  };
}

/** Two runs of points: each point both measured, by the medians and ranges of its repeats. */
function comparePoints(
  a: ResultsFile,
  b: ResultsFile,
  names: [string, string],
  gate: { pct: number; metrics: GateMetric[] } | undefined,
): MatchedRuns {
  const groupsA = summariseRepeats(a.points, measurementIdentity);
  const groupsB = summariseRepeats(b.points, measurementIdentity);
  const points: PointComparison[] = [];
  const notCompared: MatchedRuns['notCompared'] = [];
  const regressions: GatedChange[] = [];
  const withinNoise: GatedChange[] = [];
  let singleRepeat = false;
  for (const key of [...groupsA.keys()].filter((k) => groupsB.has(k))) {
    const ga = groupsA.get(key)!;
    const gb = groupsB.get(key)!;
    const missing = ga.okRepeats === 0 ? names[0] : gb.okRepeats === 0 ? names[1] : undefined;
    if (missing) {
      notCompared.push({ label: ga.label, reason: `no successful repeat in ${missing}` });
      continue;
    }
    if (ga.okRepeats === 1 || gb.okRepeats === 1) singleRepeat = true;
    const metrics: PointComparison['metrics'] = {};
    for (const { key: metric, higherIsBetter } of COMPARE_METRICS) {
      const sa = ga.metrics[metric];
      const sb = gb.metrics[metric];
      if (!sa || !sb) continue;
      const gated = gate !== undefined && (gate.metrics as CompareMetric[]).includes(metric);
      const change = changeOf(sa, sb, higherIsBetter, gated ? gate.pct : undefined);
      metrics[metric] = change;
      const watched = { label: ga.label, metric: metric as GateMetric, changePct: change.changePct ?? 0 };
      if (change.regression) regressions.push(watched);
      if (change.beyondThresholdInNoise) withinNoise.push(watched);
    }
    points.push({
      label: ga.label,
      server: ga.server,
      load: ga.load,
      params: ga.params,
      repeats: { a: ga.okRepeats, b: gb.okRepeats },
      generatorBound: { a: ga.generatorBound, b: gb.generatorBound },
      metrics,
    });
  }
  return {
    points,
    onlyInA: [...groupsA.values()].filter((g) => !groupsB.has(g.key)).map((g) => g.label),
    onlyInB: [...groupsB.values()].filter((g) => !groupsA.has(g.key)).map((g) => g.label),
    notCompared,
    regressions,
    withinNoise,
    singleRepeat,
  };
}

function noMatch(
  a: ResultsFile,
  b: ResultsFile,
  names: [string, string],
  planDifferences: string[],
): ResultsMismatchError {
  const capacity = isCapacityRun(a);
  const held = (r: ResultsFile) => (capacity ? (r.capacity ?? []).map((c) => c.search) : r.points.map((p) => p.id));
  const empty = [a, b]
    .map((r, i) =>
      held(r).length === 0
        ? `${names[i]} holds no ${capacity ? 'capacity result' : 'points'} (status ${r.status})`
        : undefined,
    )
    .filter(Boolean);
  const why = empty.length
    ? empty.join('; ')
    : planDifferences.length
      ? `the plans differ in ${planDifferences.join('; ')}`
      : `${capacity ? 'searches' : 'points'} in ${names[0]}: ${[...new Set(held(a))].join(', ')}; in ${names[1]}: ${[...new Set(held(b))].join(', ')}`;
  const same = capacity ? 'same server, load, parameters, SLO and probe duration' : 'same server, load and parameters';
  return new ResultsMismatchError(
    `${names[0]} and ${names[1]} have no ${capacity ? 'capacity search' : 'point'} in common (${same}): ${why}`,
    {
      suggestions: [
        capacity
          ? 'compare two --find-capacity runs of the same plan (same servers, load generator, connections, SLO and probe duration)'
          : 'compare two runs of the same plan (same servers, load generator, connections and other parameters)',
      ],
    },
  );
}

function describeRun(r: ResultsFile, name: string): ComparedRun {
  return { name, hostname: r.env?.hostname ?? '?', createdAt: r.createdAt, status: r.status };
}
