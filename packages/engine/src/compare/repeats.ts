/**
 * A point's repeats summarised for compare: the figures it reports, each as a median with a min–max
 * range (grouping and spread come from core's repeats seam, which the reporters share).
 */
import {
  groupRepeats as groupPoints,
  type PointParams,
  type PointResult,
  pointLabel,
  type RepeatSpread,
  spreadOf,
} from '@iobench/core';

/** The figures compare reports, each with the direction that counts as better. */
export const COMPARE_METRICS = [
  { key: 'rps', label: 'req/s', higherIsBetter: true },
  { key: 'p50', label: 'p50', higherIsBetter: false },
  { key: 'p99', label: 'p99', higherIsBetter: false },
  { key: 'cpuUsPerRequest', label: 'cpu µs/req', higherIsBetter: false },
] as const;

export type CompareMetric = (typeof COMPARE_METRICS)[number]['key'];

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

/** Groups a run's points by `identity`, in the run's order, and summarises each group's ok repeats. */
export function summariseRepeats(
  points: PointResult[],
  identity: (point: PointResult) => string,
): Map<string, RepeatGroup> {
  const groups = new Map<string, RepeatGroup>();
  for (const [key, all] of groupPoints(points, identity)) {
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
