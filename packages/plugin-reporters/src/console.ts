/**
 * The `console` reporter: a line per finished point while the run goes, then one table of every
 * point with throughput, latency percentiles, errors, server CPU per request and starvation; a
 * second, narrower table of the figures that would make the first too wide for a terminal (p75,
 * transfer rate, connect time, status codes); notes (responses that were not 2xx, error classes,
 * warnings); and with `histogram`, each point's latency distribution drawn as bars.
 */

import type { CapacityResult, PointResult, ResultsFile, RunPlan } from '@iobench/core';
import {
  defineReporterPlugin,
  describeResponses,
  describeStarvation,
  formatBytesPerSec,
  formatCount,
  formatDurationMs,
  formatLatencyUs,
  formatStatusCodes,
  formatThresholdValue,
  hasFigures,
  non2xxWarning,
  OVERLOAD_ADVICE,
  pointFlags,
  renderTable,
  sweepParameter,
  sweepValue,
  transferRate,
  variedParameters,
} from '@iobench/core';
import { latencyDistribution } from '@iobench/core/histogram';
import { z } from 'zod';

/** Options of the `console` reporter. */
export const consoleOptions = z.strictObject({
  histogram: z
    .boolean()
    .default(false)
    .describe("Draw each point's latency distribution as bars under the table (iobench run --histogram)"),
});

export type ConsoleOptions = z.output<typeof consoleOptions>;

export const consoleReporter = defineReporterPlugin<ConsoleOptions>({
  name: 'console',
  description:
    'Prints a table of every point (req/s, latency percentiles, errors, CPU per request, starvation), the details (p75, transfer rate, connect time, status codes) and, with histogram, latency distributions',
  options: consoleOptions,
  create(ctx, options) {
    const out = ctx.stdout;
    const progressLines = !ctx.json;
    return {
      onRunStart(plan) {
        if (!progressLines) return;
        out.write(`iobench: ${runStartLine(plan)}\n`);
      },
      onPointEnd(point) {
        if (!progressLines) return;
        const overloaded = point.schedule?.overloaded
          ? ` — OVERLOADED (target ${formatCount(point.schedule.targetRate)} req/s: ${point.schedule.overloadReason})`
          : '';
        const probe = point.capacityProbe;
        const verdict = probe ? (probe.pass ? ' — meets the SLO' : ` — misses: ${probe.reason}`) : overloaded;
        const partial = point.partial ? ` (${point.error?.message ?? 'partial'})` : '';
        const status = hasFigures(point)
          ? `${formatCount(point.rps)} req/s, p99 ${formatLatencyUs(point.latencyUs.p99)}${verdict}${partial}`
          : `${point.status}: ${point.error?.message ?? ''}`;
        out.write(`  ${point.id}: ${status}\n`);
      },
      onRunEnd(results) {
        if (ctx.json) return;
        if (results.capacity) {
          // A search measures many probes; its answer is the table, the probes are in results.json and the reports.
          out.write(`\n${renderCapacityTable(results.capacity)}\n`);
          for (const c of results.capacity) out.write(`${c.summary}\n`);
          return;
        }
        out.write(`\n${renderResultsTable(results)}\n`);
        const details = renderDetailsTable(results.points);
        if (details) out.write(`\n${details}\n`);
        for (const note of notesFor(results.points)) out.write(`${note}\n`);
        if (options.histogram) {
          for (const p of results.points.filter(hasFigures)) out.write(`\n${renderDistribution(p)}\n`);
        }
      },
    };
  },
});

/**
 * What the run is about to measure, with the durations as understood (`duration 5s, warm-up 1s`),
 * so that a bare number read as seconds shows before the run takes that long.
 */
export function runStartLine(plan: RunPlan): string {
  const what = plan.target ? `target ${plan.target}` : `server ${plan.servers.join(', ')}`;
  const loads = plan.loads;
  const warmup = plan.warmupMs > 0 ? formatDurationMs(plan.warmupMs) : 'none';
  const capacity = plan.findCapacity;
  if (capacity) {
    const probes = `probes of ${formatDurationMs(capacity.probeDurationMs)} after a ${warmup} warm-up, ${plan.arrivals} arrivals, ${capacity.rounds} refinement round(s)`;
    return `${what}; load ${loads.join(', ')}; find capacity at ${capacity.slo.join(', ')}; ${probes}; ${plan.pointCount} search(es)`;
  }
  const stages = plan.stages
    ? `stages ${plan.stages.map((s) => `${formatDurationMs(s.durationMs)}:${s.rate}`).join(',')} (${plan.arrivals} arrivals)`
    : `duration ${formatDurationMs(plan.durationMs)}`;
  const timing = `${stages}, warm-up ${warmup}`;
  return `${what}; load ${loads.join(', ')}; ${timing}; ${plan.pointCount} point(s)`;
}

/**
 * The summary table for a results file: a row per point, a column for every parameter the plan
 * varies (so that no two rows differ only in their numbers), and the flags column only when some
 * point is flagged. With anchors, a column gives req/s as a ratio to the first.
 */
export function renderResultsTable(results: ResultsFile): string {
  const anchor = results.plan.anchors?.[0]?.name;
  const open = results.points.some((p) => p.schedule);
  // The open model's rate gets a column of its own (target → achieved), swept or not.
  const varied = variedParameters(results)
    .map((d) => sweepParameter(d.key))
    .filter((p) => p.key !== 'connections' && !(open && p.key === 'rate'));
  const flagged = results.points.some((p) => pointFlags(p).length > 0);
  const anchorRps = new Map<string, number>();
  for (const p of results.points) if (p.server === anchor && p.status === 'ok') anchorRps.set(paramsKey(p), p.rps);
  const columns: Array<{ header: string; cell: (p: PointResult) => string }> = [
    { header: 'server', cell: (p) => p.server },
    { header: 'load', cell: (p) => p.load },
    { header: 'conns', cell: (p) => String(p.params.connections) },
    ...varied.map(({ key, column }) => ({
      header: column,
      cell: (p: PointResult) => String(sweepValue(p, key) ?? '-'),
    })),
    ...(anchor
      ? [
          {
            header: `vs ${anchor}`,
            cell: (p: PointResult) => {
              const base = anchorRps.get(paramsKey(p));
              return base && p.status === 'ok' ? `${(p.rps / base).toFixed(2)}x` : '';
            },
          },
        ]
      : []),
    ...(open ? [{ header: 'rate → achieved', cell: rateCell }] : []),
    ...FIGURES,
    ...(open
      ? [figure('lag p99', (p) => (p.schedule?.sendLagUs ? formatLatencyUs(p.schedule.sendLagUs.p99) : '-'))]
      : []),
    ...(flagged ? [{ header: 'flags', cell: (p: PointResult) => pointFlags(p).join(' ') }] : []),
    ...(results.points.some((p) => p.thresholds?.length) ? [{ header: 'thresholds', cell: thresholdCell }] : []),
  ];
  const rows = results.points.map((p) => columns.map((c) => c.cell(p)));
  return renderTable(
    columns.map((c) => c.header),
    rows,
  );
}

/** A row per capacity search: the answer, its interval, the closed-model ceiling and the probes it took. */
export function renderCapacityTable(capacity: CapacityResult[]): string {
  const rows = capacity.map((c) => [
    c.server,
    c.load,
    String(c.params.connections),
    c.slo.join(' '),
    c.outcome === 'found' ? formatCount(c.rate!) : c.outcome === 'generator-bound' ? `>${formatCount(c.rate!)}` : '-',
    c.low !== undefined && c.high !== undefined ? `${formatCount(c.low)}–${formatCount(c.high)}` : '-',
    c.saturationRps !== undefined ? formatCount(c.saturationRps) : '-',
    String(c.probes),
    c.outcome,
  ]);
  return renderTable(
    ['server', 'load', 'conns', 'SLO', 'capacity req/s', 'interval', 'closed req/s', 'probes', 'outcome'],
    rows,
  );
}

/** The open model's `40,000 → 39,870`: the rate asked for and the rate achieved; `-` for the closed model. */
function rateCell(p: PointResult): string {
  if (!p.schedule) return '-';
  const { targetRate, achievedRate } = p.schedule;
  return `${formatCount(targetRate)} → ${formatCount(achievedRate)}`;
}

/** `pass`, or `FAIL p99<10ms` naming the failed thresholds; empty for a point not checked. */
function thresholdCell(p: PointResult): string {
  if (!p.thresholds?.length) return '';
  const failed = p.thresholds.filter((c) => !c.pass).map((c) => c.threshold);
  return failed.length ? `FAIL ${failed.join(' ')}` : 'pass';
}

/** Points measured under the same parameters (any repeat) share this key. */
function paramsKey(p: PointResult): string {
  return JSON.stringify({ ...p.params, repeat: p.repeat });
}

/** A measured figure; a point that measured nothing shows its status in the first and blanks after. */
function figure(header: string, value: (p: PointResult) => string, first = false) {
  return { header, cell: (p: PointResult) => (hasFigures(p) ? value(p) : first ? p.status : '') };
}

/** The row's figures: p95 rather than p90 (k6's default), p75 and the rest in the details table. */
const FIGURES = [
  figure('req/s', (p) => formatCount(p.rps), true),
  figure('p50', (p) => formatLatencyUs(p.latencyUs.p50)),
  figure('p95', (p) => formatLatencyUs(p.latencyUs.p95)),
  figure('p99', (p) => formatLatencyUs(p.latencyUs.p99)),
  figure('p99.9', (p) => formatLatencyUs(p.latencyUs.p99_9)),
  figure('max', (p) => formatLatencyUs(p.latencyUs.max)),
  figure('errors', (p) => formatCount(Object.values(p.errors).reduce((a, b) => a + b, 0))),
  figure('cpu µs/req', (p) => (p.serverStats ? formatCount(p.serverStats.cpuUsPerRequest) : '-')),
  figure('starved', (p) => (p.starvation ? `${p.starvation.starved}/${p.starvation.connections}` : '-')),
];

/**
 * The figures of each measured point that the main table leaves out to stay within a terminal's
 * width: p75, the transfer rate (response bytes per second, wrk's Transfer/sec), connect time (p50
 * and max; the TLS handshake included for https:// targets, as the generators time the whole
 * connect) and the status codes. Undefined when no point has figures.
 */
export function renderDetailsTable(points: PointResult[]): string | undefined {
  const measured = points.filter(hasFigures);
  if (measured.length === 0) return undefined;
  const connect = (p: PointResult, pick: (s: { p50: number; max: number }) => number) => {
    const c = p.loadStats.connectLatencyUs;
    return c && c.max > 0 ? formatLatencyUs(pick(c)) : '-';
  };
  const columns: Array<{ header: string; cell: (p: PointResult) => string }> = [
    { header: 'point', cell: (p) => p.id },
    { header: 'p75', cell: (p) => formatLatencyUs(p.latencyUs.p75) },
    { header: 'transfer', cell: (p) => formatBytesPerSec(transferRate(p)) },
    { header: 'connect p50', cell: (p) => connect(p, (c) => c.p50) },
    { header: 'connect max', cell: (p) => connect(p, (c) => c.max) },
    { header: 'status', cell: (p) => (p.statusCodes ? formatStatusCodes(p.statusCodes) || '-' : 'not counted') },
  ];
  return renderTable(
    columns.map((c) => c.header),
    measured.map((p) => columns.map((c) => c.cell(p))),
  );
}

/** Width of the longest bar of a latency distribution, in characters. */
const BAR_WIDTH = 40;

/**
 * A point's latency distribution as hey and oha draw it: a bucket per line with its upper bound, its
 * count and a bar scaled to the fullest bucket (buckets log-spaced from min to max, see
 * `latencyDistribution`).
 */
export function renderDistribution(p: PointResult): string {
  const buckets = latencyDistribution(p.latencyUs.hdr);
  const top = Math.max(1, ...buckets.map((b) => b.count));
  const total = buckets.reduce((n, b) => n + b.count, 0);
  const bounds = buckets.map((b) => formatLatencyUs(b.upToUs));
  const counts = buckets.map((b) => formatCount(b.count));
  const boundWidth = Math.max(...bounds.map((b) => b.length));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const lines = buckets.map((b, i) => {
    const share = total > 0 ? `${((b.count / total) * 100).toFixed(1)}%`.padStart(6) : '';
    const bar = '■'.repeat(b.count > 0 ? Math.max(1, Math.round((b.count / top) * BAR_WIDTH)) : 0);
    return `  ≤ ${bounds[i]!.padStart(boundWidth)}  ${counts[i]!.padStart(countWidth)} ${share}  ${bar}`.trimEnd();
  });
  const partial = p.partial ? ', partial' : '';
  return [`${p.id} latency distribution (${formatCount(total)} requests${partial}):`, ...lines].join('\n');
}

function notesFor(points: PointResult[]): string[] {
  const notes: string[] = [];
  if (points.some((p) => p.partial)) {
    notes.push('partial: the run was interrupted during this point; its figures cover the time it ran.');
  }
  if (points.some((p) => p.loadStats.generatorBound)) {
    notes.push('generator-bound: the load generator, not the server, was saturated; compare CPU µs/req there.');
  }
  if (points.some((p) => p.schedule?.overloaded)) notes.push(`${OVERLOAD_ADVICE}.`);
  if (points.some((p) => p.schedule))
    notes.push(
      "lag p99: the generator's own lateness sending (actual minus intended send time), counted in the latency.",
    );
  for (const p of points) {
    if (p.starvation && p.starvation.starved > 0) notes.push(`${p.id}: ${describeStarvation(p.starvation)}.`);
    if (p.status === 'failed') notes.push(`${p.id}: failed: ${p.error?.message}`);
    const responses = hasFigures(p) ? describeResponses(p) : undefined;
    if (responses) notes.push(`${p.id}: ${responses}.`);
    const warning = hasFigures(p) ? non2xxWarning(p) : undefined;
    if (warning) notes.push(`${p.id}: ${warning}.`);
    if (p.status === 'ok' && p.schedule?.overloaded) notes.push(`${p.id}: overloaded: ${p.schedule.overloadReason}.`);
    for (const check of p.thresholds ?? []) {
      if (!check.pass) notes.push(`${p.id}: threshold ${check.threshold} failed: was ${formatThresholdValue(check)}.`);
      if (check.caution) notes.push(`${p.id}: ${check.caution}.`);
    }
  }
  return notes;
}
