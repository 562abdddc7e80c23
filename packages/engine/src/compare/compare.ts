/**
 * Compares two runs point by point: for every point both runs measured (same server, load and
 * parameters, settings that do not change what is measured aside), the change in each figure from
 * run A to run B, judged against the repeats' spread and, optionally, against a regression threshold.
 */

import type { RepeatSpread, ResultsFile } from '@iobench/core';
import { ResultsMismatchError } from '@iobench/core';
import { diffPlans, type PlanField } from './plan-diff.js';
import {
  COMPARE_METRICS,
  type CompareMetric,
  measurementIdentity,
  type RepeatGroup,
  summariseRepeats,
} from './repeats.js';

/** The plan's fields for the point parameters that do not change what is measured (`UNMEASURED_PARAMS`). */
const UNMEASURED_PLAN_FIELDS: PlanField[] = ['warmupMs'];

/** Figures a regression gate can watch: req/s dropping or p99 rising. */
export type GateMetric = Extract<CompareMetric, 'rps' | 'p99'>;

export interface CompareOptions {
  /** How the two runs are named in messages, usually their file paths. */
  names?: [string, string];
  /**
   * A point regresses when a gated figure's median got worse by more than this many percent and the
   * change is not noise (see `MetricChange.noise`).
   */
  failIfSlowerPct?: number;
  /** Figures the threshold applies to. Default: `['rps']`. */
  gateMetrics?: GateMetric[];
}

/** How one figure changed from A to B. */
export interface MetricChange {
  a: RepeatSpread;
  b: RepeatSpread;
  /** B's median minus A's median, in the figure's unit. */
  change: number;
  /** The change in percent of A's median; null when A's median is 0. */
  changePct: number | null;
  /** True when the repeats' ranges overlap: the change is within what repeats alone vary by. */
  noise: boolean;
  verdict: 'better' | 'worse' | 'same';
  /**
   * True when this figure is gated, got worse by more than the threshold, and is not noise: a
   * change the repeats' spread explains never fails the gate (so no row reads `noise, REGRESSION`).
   */
  regression: boolean;
  /** True when this figure is gated and got worse by more than the threshold, but within noise: not failed, said. */
  beyondThresholdInNoise: boolean;
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

export interface ComparisonResult {
  a: ComparedRun;
  b: ComparedRun;
  failIfSlowerPct?: number;
  gateMetrics: GateMetric[];
  points: PointComparison[];
  /** Points (labels) only run A measured, and only run B. */
  onlyInA: string[];
  onlyInB: string[];
  /** Points both runs planned where one side has no successful repeat. */
  notCompared: Array<{ label: string; reason: string }>;
  /** Plan fields that differ (repeats aside), in words. */
  planDifferences: string[];
  /** Differences compare matched points across because they do not change what is measured (warm-up), in words. */
  ignored: string[];
  regressions: Array<{ label: string; metric: GateMetric; changePct: number }>;
  /**
   * Gated figures whose median got worse by more than the threshold while the repeats' ranges
   * overlap: noise by the rule, so not regressions; listed so that a wide spread cannot hide one silently.
   */
  withinNoise: Array<{ label: string; metric: GateMetric; changePct: number }>;
  /** True when some compared point has a single repeat on a side: no spread to judge noise by. */
  singleRepeat: boolean;
}

/**
 * Matches the points of `a` and `b` and reports each figure's change. Throws `ResultsMismatchError`
 * when no point matches, naming how the plans differ.
 */
export function compareResults(a: ResultsFile, b: ResultsFile, options: CompareOptions = {}): ComparisonResult {
  const names = options.names ?? ['A', 'B'];
  const gateMetrics = options.gateMetrics ?? ['rps'];
  const planDifferences = diffPlans(a.plan, b.plan, names, { ignore: ['repeat', ...UNMEASURED_PLAN_FIELDS] });
  const ignored = diffPlans(a.plan, b.plan, names, { only: UNMEASURED_PLAN_FIELDS });
  const groupsA = summariseRepeats(a.points, measurementIdentity);
  const groupsB = summariseRepeats(b.points, measurementIdentity);
  const matched = [...groupsA.keys()].filter((k) => groupsB.has(k));
  if (matched.length === 0) throw noMatch(a, b, names, planDifferences);

  const points: PointComparison[] = [];
  const notCompared: ComparisonResult['notCompared'] = [];
  const regressions: ComparisonResult['regressions'] = [];
  const withinNoise: ComparisonResult['withinNoise'] = [];
  let singleRepeat = false;
  for (const key of matched) {
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
      const gated = options.failIfSlowerPct !== undefined && (gateMetrics as CompareMetric[]).includes(metric);
      const change = changeOf(sa, sb, higherIsBetter, gated ? options.failIfSlowerPct : undefined);
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
    a: describeRun(a, names[0]),
    b: describeRun(b, names[1]),
    ...(options.failIfSlowerPct !== undefined ? { failIfSlowerPct: options.failIfSlowerPct } : {}),
    gateMetrics,
    points,
    onlyInA: [...groupsA.values()].filter((g) => !groupsB.has(g.key)).map((g) => g.label),
    onlyInB: [...groupsB.values()].filter((g) => !groupsA.has(g.key)).map((g) => g.label),
    notCompared,
    planDifferences,
    ignored,
    regressions,
    withinNoise,
    singleRepeat,
  };
}

function changeOf(
  a: RepeatSpread,
  b: RepeatSpread,
  higherIsBetter: boolean,
  thresholdPct: number | undefined,
): MetricChange {
  const change = round(b.median - a.median);
  const changePct = a.median === 0 ? null : round(((b.median - a.median) / a.median) * 100);
  const noise = a.min <= b.max && b.min <= a.max;
  const verdict = change === 0 ? 'same' : change > 0 === higherIsBetter ? 'better' : 'worse';
  // Worse by more than the threshold: req/s fell, or latency rose, by more than PCT% of A's median.
  const beyond =
    thresholdPct !== undefined && changePct !== null && verdict === 'worse' && Math.abs(changePct) > thresholdPct;
  // The one rule: a change within the repeats' spread is noise, and noise is never a regression.
  return {
    a,
    b,
    change,
    changePct,
    noise,
    verdict,
    regression: beyond && !noise,
    beyondThresholdInNoise: beyond && noise,
  };
}

function noMatch(
  a: ResultsFile,
  b: ResultsFile,
  names: [string, string],
  planDifferences: string[],
): ResultsMismatchError {
  const empty = [a, b]
    .map((r, i) => (r.points.length === 0 ? `${names[i]} holds no points (status ${r.status})` : undefined))
    .filter(Boolean);
  const why = empty.length
    ? empty.join('; ')
    : planDifferences.length
      ? `the plans differ in ${planDifferences.join('; ')}`
      : `points in ${names[0]}: ${[...new Set(a.points.map((p) => p.id))].join(', ')}; in ${names[1]}: ${[...new Set(b.points.map((p) => p.id))].join(', ')}`;
  return new ResultsMismatchError(
    `${names[0]} and ${names[1]} have no point in common (same server, load and parameters): ${why}`,
    {
      suggestions: [
        'compare two runs of the same plan (same servers, load generator, connections and other parameters)',
      ],
    },
  );
}

function describeRun(r: ResultsFile, name: string): ComparedRun {
  return { name, hostname: r.env?.hostname ?? '?', createdAt: r.createdAt, status: r.status };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
