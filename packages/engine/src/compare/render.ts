/** The text form of a comparison: a table row per point and figure, then notes. */
import { formatCount, formatLatencyUs, type RepeatSpread, renderTable } from '@iobench/core';
import type { ComparisonResult, MetricChange } from './compare.js';
import { COMPARE_METRICS, type CompareMetric } from './repeats.js';

/** Renders a comparison for a terminal or a CI log. */
export function renderComparison(result: ComparisonResult): string {
  const rows: string[][] = [];
  for (const point of result.points) {
    let first = true;
    for (const { key, label } of COMPARE_METRICS) {
      const m = point.metrics[key];
      if (!m) continue;
      const bound = key === 'rps' ? generatorBoundFlag(point.generatorBound) : '';
      rows.push([
        first ? point.label : '',
        label,
        spread(m.a, key),
        spread(m.b, key),
        signed(m.change, key),
        m.changePct === null ? '-' : `${m.changePct > 0 ? '+' : ''}${m.changePct.toFixed(1)}%`,
        [judgement(m), bound].filter(Boolean).join(', '),
      ]);
      first = false;
    }
  }
  const lines = [
    `A: ${runLine(result.a)}`,
    `B: ${runLine(result.b)}`,
    '',
    renderTable(['point', 'metric', 'A median (range)', 'B median (range)', 'change', '%', ''], rows),
    '',
  ];
  if (result.points.some((p) => Object.values(p.metrics).some((m) => m.verdict !== 'same' && m.noise)))
    lines.push('noise: the change lies within the repeats’ spread (A’s and B’s min–max ranges overlap).');
  if (result.singleRepeat)
    lines.push(
      'some points have a single repeat, so no spread to tell a change from noise; run with --repeat 3 or more.',
    );
  if (result.points.some((p) => p.generatorBound.a || p.generatorBound.b)) {
    lines.push(
      'generator-bound: the load generator, not the server, was saturated; compare cpu µs/req there rather than req/s.',
    );
  }
  if (result.onlyInA.length) lines.push(`only in ${result.a.name} (not compared): ${result.onlyInA.join(', ')}`);
  if (result.onlyInB.length) lines.push(`only in ${result.b.name} (not compared): ${result.onlyInB.join(', ')}`);
  for (const { label, reason } of result.notCompared) lines.push(`${label}: not compared, ${reason}`);
  if (result.planDifferences.length) lines.push(`the plans differ: ${result.planDifferences.join('; ')}`);
  if (result.ignored.length)
    lines.push(`ignored, as it does not change what is measured: ${result.ignored.join('; ')}`);
  if (result.failIfSlowerPct !== undefined) lines.push(gateLine(result));
  return lines.join('\n');
}

/**
 * The verdict of a regression gate: one line, and a second naming the changes beyond the threshold
 * that the gate did not fail because they lie within the repeats' spread.
 */
export function gateLine(result: ComparisonResult): string {
  const watched = result.gateMetrics.map((m) => (m === 'rps' ? 'req/s drop' : 'p99 rise')).join(' or ');
  const limit = `${watched} over ${result.failIfSlowerPct}%`;
  const verdict =
    result.regressions.length === 0
      ? `gate: no point has a ${limit} beyond noise`
      : `gate: ${result.regressions.length} regression(s), ${limit}: ${describeChanges(result.regressions)}`;
  if (result.withinNoise.length === 0) return verdict;
  return `${verdict}\ngate: not failed, as noise (the repeats' ranges overlap): ${describeChanges(result.withinNoise)}; repeat more, or quiet the machine, to tell them from noise`;
}

/** `epoll/undici/c8 req/s -12.0%, …`: gated changes by point, figure and percent. */
export function describeChanges(changes: ComparisonResult['regressions']): string {
  return changes
    .map(
      (r) =>
        `${r.label} ${r.metric === 'rps' ? 'req/s' : r.metric} ${r.changePct > 0 ? '+' : ''}${r.changePct.toFixed(1)}%`,
    )
    .join(', ');
}

function judgement(m: MetricChange): string {
  const words = [m.verdict === 'same' ? '' : m.noise ? 'noise' : m.verdict];
  if (m.regression) words.push('REGRESSION');
  return words.filter(Boolean).join(', ');
}

function generatorBoundFlag(bound: { a: boolean; b: boolean }): string {
  const sides = [bound.a ? 'A' : '', bound.b ? 'B' : ''].filter(Boolean);
  return sides.length ? `generator-bound (${sides.join(',')})` : '';
}

function spread(s: RepeatSpread, metric: CompareMetric): string {
  const f = (x: number) => format(x, metric);
  return s.n > 1 && s.min !== s.max ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

function signed(x: number, metric: CompareMetric): string {
  return `${x > 0 ? '+' : x < 0 ? '-' : ''}${format(Math.abs(x), metric)}`;
}

function format(x: number, metric: CompareMetric): string {
  if (metric === 'p50' || metric === 'p99') return formatLatencyUs(x);
  if (metric === 'cpuUsPerRequest') return x >= 100 ? formatCount(x) : String(Math.round(x * 100) / 100);
  return formatCount(x);
}

function runLine(run: ComparisonResult['a']): string {
  const status = run.status === 'complete' ? '' : `, status ${run.status}`;
  return `${run.name} (${run.hostname}, ${run.createdAt}${status})`;
}
