/** The text form of a comparison: a table row per point and figure (per search, for capacity runs), then notes. */
import { formatCount, formatLatencyUs, type RepeatSpread, renderTable } from '@iobench/core';
import type { CapacityComparison, KneeLatency } from './capacity.js';
import type { MetricChange } from './change.js';
import type { ComparisonResult } from './compare.js';
import { COMPARE_METRICS, type CompareMetric } from './repeats.js';

/** Renders a comparison for a terminal or a CI log. */
export function renderComparison(result: ComparisonResult): string {
  const lines = [`A: ${runLine(result.a)}`, `B: ${runLine(result.b)}`, ''];
  lines.push(...(result.capacity ? capacityLines(result, result.capacity) : pointLines(result)));
  if (result.onlyInA.length) lines.push(`only in ${result.a.name} (not compared): ${result.onlyInA.join(', ')}`);
  if (result.onlyInB.length) lines.push(`only in ${result.b.name} (not compared): ${result.onlyInB.join(', ')}`);
  for (const { label, reason } of result.notCompared) lines.push(`${label}: not compared, ${reason}`);
  if (result.planDifferences.length) lines.push(`the plans differ: ${result.planDifferences.join('; ')}`);
  if (result.ignored.length)
    lines.push(`ignored, as it does not change what is measured: ${result.ignored.join('; ')}`);
  if (result.failIfSlowerPct !== undefined) lines.push(gateLine(result));
  return lines.join('\n');
}

/** Two runs of points: a row per point and figure, and what the marks mean. */
function pointLines(result: ComparisonResult): string[] {
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
        percent(m.changePct),
        [judgement(m), bound].filter(Boolean).join(', '),
      ]);
      first = false;
    }
  }
  const lines = [renderTable(['point', 'metric', 'A median (range)', 'B median (range)', 'change', '%', ''], rows), ''];
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
  return lines;
}

/**
 * Two capacity runs: per search, the capacity (median and the rounds' interval) and the latency at
 * each knee, and what they mean.
 */
function capacityLines(result: ComparisonResult, searches: CapacityComparison[]): string[] {
  const rows: string[][] = [];
  for (const c of searches) {
    const m = c.capacity;
    const lost = c.lost && `≤${c.lost.pct.toFixed(1)}%`;
    rows.push([
      c.label,
      c.slo.join(', '),
      'capacity req/s',
      c.a.answer,
      c.b.answer,
      m ? signed(m.change, 'rps') : '-',
      m ? percent(m.changePct) : (lost ?? '-'),
      m ? judgement(m) : lost ? lostJudgement(result, c) : 'not compared',
    ]);
    if (!c.a.knee || !c.b.knee) continue;
    for (const key of ['p50', 'p99'] as const) {
      const change = c.b.knee[`${key}Us`] - c.a.knee[`${key}Us`];
      rows.push([
        '',
        '',
        `${key} at knee`,
        kneeCell(c.a.knee, key),
        kneeCell(c.b.knee, key),
        signed(change, key),
        '',
        '',
      ]);
    }
  }
  const lines = [
    renderTable(['search', 'SLO', 'figure', 'A', 'B', 'change', '%', ''], rows),
    '',
    'capacity: the highest offered rate that met every SLO (the median of the refinement rounds; in brackets their lowest and highest estimate).',
  ];
  if (rows.some((r) => r[2]!.endsWith('at knee')))
    lines.push(
      'at knee: the latency of the passing probe nearest each capacity (after @, the rate it ran at); the two knees lie at different rates, so it is shown, not judged.',
    );
  if (searches.some((c) => c.capacity && c.capacity.verdict !== 'same' && c.capacity.noise))
    lines.push('noise: the change lies within the refinement rounds’ spread (A’s and B’s intervals overlap).');
  if (result.singleRepeat)
    lines.push(
      'some searches have a single refinement round, so no interval to tell a change from noise; run with --capacity-rounds 3 or more.',
    );
  return lines;
}

/** `1.20ms @1,460`: a knee's latency and the rate its probe ran at. */
function kneeCell(knee: KneeLatency, key: 'p50' | 'p99'): string {
  return `${formatLatencyUs(knee[`${key}Us`])} @${formatCount(knee.rateRps)}`;
}

/** Found in A, none in B: worse (noise when B's lowest probe lies within A's interval), a regression when the gate failed it. */
function lostJudgement(result: ComparisonResult, c: CapacityComparison): string {
  const failed = result.regressions.some((r) => r.label === c.label && r.metric === 'capacity');
  return [c.lost?.noise ? 'noise' : 'worse', failed ? 'REGRESSION' : ''].filter(Boolean).join(', ');
}

/**
 * The verdict of a regression gate: one line, and a second naming the changes beyond the threshold
 * that the gate did not fail because they lie within the repeats' spread.
 */
export function gateLine(result: ComparisonResult): string {
  const watched = result.capacity
    ? 'capacity drop'
    : result.gateMetrics.map((m) => (m === 'rps' ? 'req/s drop' : 'p99 rise')).join(' or ');
  const limit = `${watched} over ${result.failIfSlowerPct}%`;
  const verdict =
    result.regressions.length === 0
      ? `gate: no ${result.capacity ? 'search' : 'point'} has a ${limit} beyond noise`
      : `gate: ${result.regressions.length} regression(s), ${limit}: ${describeChanges(result.regressions)}`;
  if (result.withinNoise.length === 0) return verdict;
  return `${verdict}\ngate: not failed, as noise (the repeats' ranges overlap): ${describeChanges(result.withinNoise)}; repeat more, or quiet the machine, to tell them from noise`;
}

/**
 * `epoll/undici/c8 req/s -12.0%, …`: gated changes by point (or search), figure and percent; a
 * bound says so: `epoll/native/c8 capacity ≤-97.8% (no rate met the SLO in b.json, down to 30 req/s)`.
 */
export function describeChanges(changes: ComparisonResult['regressions']): string {
  return changes
    .map((r) => {
      const pct = `${r.changePct > 0 ? '+' : ''}${r.changePct.toFixed(1)}%`;
      const figure = r.metric === 'rps' ? 'req/s' : r.metric;
      return r.detail ? `${r.label} ${figure} ≤${pct} (${r.detail})` : `${r.label} ${figure} ${pct}`;
    })
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

function percent(pct: number | null): string {
  return pct === null ? '-' : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
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
