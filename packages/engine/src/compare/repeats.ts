/** A point's identity across runs, and its repeats summarised as a median with a min–max spread. */
import type { PointParams, PointResult } from '@iobench/core';
import { stableJson } from './plan-diff.js';

/** The figures compare reports, each with the direction that counts as better. */
export const COMPARE_METRICS = [
  { key: 'rps', label: 'req/s', higherIsBetter: true },
  { key: 'p50', label: 'p50', higherIsBetter: false },
  { key: 'p99', label: 'p99', higherIsBetter: false },
  { key: 'cpuUsPerRequest', label: 'cpu µs/req', higherIsBetter: false },
] as const;

export type CompareMetric = (typeof COMPARE_METRICS)[number]['key'];

/** Repeats of one figure: their median and range. */
export interface RepeatSpread {
  median: number;
  min: number;
  max: number;
  /** Repeats the figure was taken from. */
  n: number;
}

/** Every repeat of one point (same server, load and parameters), summarised. */
export interface RepeatGroup {
  /** Identity across runs: server, load and parameters, not the repeat. */
  key: string;
  /** The point's id without its repeat suffix, e.g. `epoll/undici/c64`. */
  label: string;
  server: string;
  load: string;
  params: PointParams;
  /** Repeats that measured something (`status: ok`). */
  okRepeats: number;
  /** Repeats that failed or were interrupted. */
  failedRepeats: number;
  /** True when any repeat was flagged generator-bound. */
  generatorBound: boolean;
  /** Absent for a figure no ok repeat has (server CPU is missing for `--target` runs). */
  metrics: Partial<Record<CompareMetric, RepeatSpread>>;
}

/** Identity of a point across runs: server, load and parameters (the repeat index is not part of it). */
export function pointIdentity(point: Pick<PointResult, 'server' | 'load' | 'params'>): string {
  return stableJson([point.server, point.load, point.params]);
}

/**
 * Point parameters that do not change what is measured (the warm-up ends before measuring
 * starts): compare matches points across different values of them, and says which it ignored.
 */
export const UNMEASURED_PARAMS = ['warmupMs'] as const satisfies ReadonlyArray<keyof PointParams>;

/**
 * What makes two runs' points the same measurement: server, load, and every parameter (the ones
 * the plan varies and the fixed ones alike) except those that do not change what is measured.
 */
export function measurementIdentity(point: Pick<PointResult, 'server' | 'load' | 'params'>): string {
  const params: Partial<PointParams> = { ...point.params };
  for (const key of UNMEASURED_PARAMS) delete params[key];
  return stableJson([point.server, point.load, params]);
}

/** A point's id without the `/r<N>` repeat suffix. */
export function pointLabel(point: Pick<PointResult, 'id'>): string {
  return point.id.replace(/\/r\d+$/, '');
}

/** Groups a run's points by identity (`pointIdentity` by default), in the run's order, and summarises each group's ok repeats. */
export function groupRepeats(
  points: PointResult[],
  identity: (point: PointResult) => string = pointIdentity,
): Map<string, RepeatGroup> {
  const members = new Map<string, PointResult[]>();
  for (const p of points) {
    const key = identity(p);
    members.set(key, [...(members.get(key) ?? []), p]);
  }
  const groups = new Map<string, RepeatGroup>();
  for (const [key, all] of members) {
    const ok = all.filter((p) => p.status === 'ok');
    const first = all[0]!;
    const metrics: RepeatGroup['metrics'] = {};
    for (const { key: metric } of COMPARE_METRICS) {
      const spread = spreadOf(ok.map((p) => metricValue(p, metric)).filter((v): v is number => v !== undefined));
      if (spread) metrics[metric] = spread;
    }
    groups.set(key, {
      key,
      label: pointLabel(first),
      server: first.server,
      load: first.load,
      params: first.params,
      okRepeats: ok.length,
      failedRepeats: all.length - ok.length,
      generatorBound: ok.some((p) => p.loadStats.generatorBound),
      metrics,
    });
  }
  return groups;
}

/** Median (mean of the middle two for an even count) and range; undefined for no values. */
export function spreadOf(values: number[]): RepeatSpread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

function metricValue(p: PointResult, metric: CompareMetric): number | undefined {
  switch (metric) {
    case 'rps':
      return p.rps;
    case 'p50':
      return p.latencyUs.p50;
    case 'p99':
      return p.latencyUs.p99;
    case 'cpuUsPerRequest':
      return p.serverStats?.cpuUsPerRequest;
  }
}
