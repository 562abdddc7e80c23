/**
 * The `console` reporter: a line per finished point while the run goes, then one table of every
 * point with throughput, latency percentiles, errors, server CPU per request and starvation. A
 * point measured several times (`--repeat N`) is one row: the median of its repeats, req/s with
 * their min–max range, marked when that range is too wide to trust; `repeatRows` prints a row per
 * repeat instead. Then a second, narrower table of the figures that would make the first too wide
 * for a terminal (p75, transfer rate, connect time, status codes); notes (responses that were not
 * 2xx, error classes, warnings); and with `histogram`, each point's latency distribution as bars.
 */

import type { CapacityResult, PointResult, ResultsFile, RunPlan } from '@iobench/core';
import {
  addStatusCodes,
  defineReporterPlugin,
  describeResponses,
  describeStarvation,
  formatBytesPerSec,
  formatCount,
  formatDurationMs,
  formatLatencyUs,
  formatStatusCodes,
  formatThresholdValue,
  groupRepeats,
  hasFigures,
  isWideSpread,
  non2xxWarning,
  OVERLOAD_ADVICE,
  pointFlags,
  pointLabel,
  type RepeatSpread,
  renderTable,
  spreadOf,
  sweepParameter,
  sweepValue,
  transferRate,
  variedParameters,
  WIDE_SPREAD_MARK,
  WIDE_SPREAD_PCT,
  wideSpreadNote,
} from '@iobench/core';
import { latencyDistribution } from '@iobench/core/histogram';
import { z } from 'zod';

/** Options of the `console` reporter. */
export const consoleOptions = z.strictObject({
  repeatRows: z
    .boolean()
    .default(false)
    .describe(
      'A row per repeat (with a repeat column) instead of one row per point with the median and range of its repeats (run --repeat-rows)',
    ),
  histogram: z
    .boolean()
    .default(false)
    .describe("Draw each point's latency distribution as bars under the table (iobench run --histogram)"),
});

export type ConsoleOptions = z.output<typeof consoleOptions>;

export const consoleReporter = defineReporterPlugin<ConsoleOptions>({
  name: 'console',
  description:
    'Prints a table of every point (req/s, latency percentiles, errors, CPU per request, starvation; repeats as one row: median, req/s range, a mark when they spread widely), the details (p75, transfer rate, connect time, status codes) and, with histogram, latency distributions',
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
        out.write(`\n${renderResultsTable(results, options)}\n`);
        const details = renderDetailsTable(results, options);
        if (details) out.write(`\n${details}\n`);
        for (const note of notesFor(results, options)) out.write(`${note}\n`);
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
  const loads = `${plan.loads.join(', ')}${plan.http2 ? ' over HTTP/2' : ''}`;
  const warmup = plan.warmupMs > 0 ? formatDurationMs(plan.warmupMs) : 'none';
  const capacity = plan.findCapacity;
  if (capacity) {
    const probes = `probes of ${formatDurationMs(capacity.probeDurationMs)} after a ${warmup} warm-up, ${plan.arrivals} arrivals, ${capacity.rounds} refinement round(s)`;
    return `${what}; load ${loads}; find capacity at ${capacity.slo.join(', ')}; ${probes}; ${plan.pointCount} search(es)`;
  }
  const stages = plan.stages
    ? `stages ${plan.stages.map((s) => `${formatDurationMs(s.durationMs)}:${s.rate}`).join(',')} (${plan.arrivals} arrivals)`
    : `duration ${formatDurationMs(plan.durationMs)}`;
  const timing = `${stages}, warm-up ${warmup}`;
  return `${what}; load ${loads}; ${timing}; ${plan.pointCount} point(s)`;
}

/**
 * The rows of the summary table: the repeats of each point together (in the order the run first
 * measured them), or with `repeatRows` every repeat on its own.
 */
function tableRows(results: ResultsFile, repeatRows: boolean): Row[] {
  const groups = repeatRows ? results.points.map((p) => [p]) : [...groupRepeats(results.points).values()];
  return groups.map((points) => ({ points, ok: points.filter(hasFigures), first: points[0]! }));
}

/** One row of the summary table: one point's repeats (one repeat with `repeatRows`). */
interface Row {
  points: PointResult[];
  /** The repeats that measured something; the figures are taken from them. */
  ok: PointResult[];
  first: PointResult;
}

/**
 * The summary table for a results file: a row per point (the median of its repeats, req/s with
 * their range and `!` when it is wide), or per repeat with `repeatRows`; a column for every
 * parameter the plan varies (so that no two rows differ only in their numbers), a repeats column
 * when the plan repeats, and the flags column only when some point is flagged. With anchors, a
 * column gives req/s as a ratio to the first.
 */
export function renderResultsTable(results: ResultsFile, options: Partial<ConsoleOptions> = {}): string {
  const repeatRows = options.repeatRows ?? false;
  const rows = tableRows(results, repeatRows);
  const anchor = results.plan.anchors?.[0]?.name;
  const open = results.points.some((p) => p.schedule);
  // The open model's rate gets a column of its own (target → achieved), swept or not.
  const varied = variedParameters(results)
    .map((d) => sweepParameter(d.key))
    .filter((p) => p.key !== 'connections' && !(open && p.key === 'rate'));
  const flagged = results.points.some((p) => pointFlags(p).length > 0);
  const repeated = results.plan.repeat > 1 || rows.some((r) => r.points.length > 1);
  const anchorRps = new Map<string, number>();
  for (const r of rows) {
    const rps = medianOf(r, (p) => p.rps);
    if (r.first.server === anchor && rps) anchorRps.set(paramsKey(r.first, repeatRows), rps.median);
  }
  const columns: Array<{ header: string; cell: (r: Row) => string }> = [
    { header: 'server', cell: (r) => r.first.server },
    { header: 'load', cell: (r) => r.first.load },
    { header: 'conns', cell: (r) => String(r.first.params.connections) },
    ...varied.map(({ key, column }) => ({
      header: column,
      cell: (r: Row) => String(sweepValue(r.first, key) ?? '-'),
    })),
    ...(repeated
      ? repeatRows
        ? [{ header: 'repeat', cell: (r: Row) => `r${r.first.repeat}` }]
        : [{ header: 'repeats', cell: repeatsCell }]
      : []),
    ...(anchor
      ? [
          {
            header: `vs ${anchor}`,
            cell: (r: Row) => {
              const base = anchorRps.get(paramsKey(r.first, repeatRows));
              const rps = medianOf(r, (p) => p.rps);
              return base && rps ? `${(rps.median / base).toFixed(2)}x` : '';
            },
          },
        ]
      : []),
    ...(open ? [{ header: 'rate → achieved', cell: rateCell }] : []),
    ...FIGURES,
    ...(open ? [figure('lag p99', (p) => p.schedule?.sendLagUs?.p99, formatLatencyUs)] : []),
    ...(flagged
      ? [{ header: 'flags', cell: (r: Row) => [...new Set(r.ok.flatMap((p) => pointFlags(p)))].join(' ') }]
      : []),
    ...(results.points.some((p) => p.thresholds?.length) ? [{ header: 'thresholds', cell: thresholdCell }] : []),
  ];
  return renderTable(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.cell(r))),
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

/** The median and range of a figure over a row's ok repeats; undefined when none has it. */
function medianOf(r: Row, value: (p: PointResult) => number | undefined): RepeatSpread | undefined {
  return spreadOf(r.ok.map(value).filter((v): v is number => v !== undefined));
}

/** `3`, or `2/3` when some repeats failed: the ok repeats the row's figures come from, of all. */
function repeatsCell(r: Row): string {
  return r.ok.length === r.points.length ? String(r.points.length) : `${r.ok.length}/${r.points.length}`;
}

/** The open model's `40,000 → 39,870` (medians): the rate asked for and the rate achieved; `-` for the closed model. */
function rateCell(r: Row): string {
  const target = medianOf(r, (p) => p.schedule?.targetRate);
  const achieved = medianOf(r, (p) => p.schedule?.achievedRate);
  if (!target || !achieved) return '-';
  return `${formatCount(target.median)} → ${formatCount(achieved.median)}`;
}

/** `pass`, or `FAIL p99<10ms` naming the thresholds any repeat failed; empty for a point not checked. */
function thresholdCell(r: Row): string {
  const checks = r.points.flatMap((p) => p.thresholds ?? []);
  if (!checks.length) return '';
  const failed = [...new Set(checks.filter((c) => !c.pass).map((c) => c.threshold))];
  return failed.length ? `FAIL ${failed.join(' ')}` : 'pass';
}

/** Rows measured under the same parameters share this key (the same repeat too, with `repeatRows`). */
function paramsKey(p: PointResult, repeatRows: boolean): string {
  return JSON.stringify(repeatRows ? { ...p.params, repeat: p.repeat } : p.params);
}

/**
 * A measured figure, the median of the row's ok repeats; a row that measured nothing shows its
 * status in the first figure and blanks after.
 */
function figure(
  header: string,
  value: (p: PointResult) => number | undefined,
  format: (n: number) => string,
  first = false,
) {
  return {
    header,
    cell: (r: Row) => {
      if (r.ok.length === 0) return first ? r.first.status : '';
      const spread = medianOf(r, value);
      return spread ? format(spread.median) : '-';
    },
  };
}

/** `52,100 (36,000–62,000)!`: the median req/s, the repeats' range, and `!` when it is wide. */
function rpsCell(r: Row): string {
  if (r.ok.length === 0) return r.first.status;
  const rps = medianOf(r, (p) => p.rps)!;
  if (rps.n < 2) return formatCount(rps.median);
  return `${formatCount(rps.median)} (${formatCount(rps.min)}–${formatCount(rps.max)})${isWideSpread(rps) ? WIDE_SPREAD_MARK : ''}`;
}

const sumErrors = (p: PointResult) => Object.values(p.errors).reduce((a, b) => a + b, 0);

/** The row's figures: p95 rather than p90 (k6's default), p75 and the rest in the details table. */
const FIGURES = [
  { header: 'req/s', cell: rpsCell },
  figure('p50', (p) => p.latencyUs.p50, formatLatencyUs),
  figure('p95', (p) => p.latencyUs.p95, formatLatencyUs),
  figure('p99', (p) => p.latencyUs.p99, formatLatencyUs),
  figure('p99.9', (p) => p.latencyUs.p99_9, formatLatencyUs),
  figure('max', (p) => p.latencyUs.max, formatLatencyUs),
  // Errors are counted, not sampled: a row's errors are every repeat's.
  {
    header: 'errors',
    cell: (r: Row) => (r.ok.length ? formatCount(r.ok.map(sumErrors).reduce((a, b) => a + b, 0)) : ''),
  },
  figure('cpu µs/req', (p) => p.serverStats?.cpuUsPerRequest, formatCount),
  // The worst repeat: starvation in any repeat is the server's behaviour, not noise.
  {
    header: 'starved',
    cell: (r: Row) => {
      if (r.ok.length === 0) return '';
      const worst = r.ok.flatMap((p) => (p.starvation ? [p.starvation] : [])).sort((a, b) => b.starved - a.starved)[0];
      return worst ? `${worst.starved}/${worst.connections}` : '-';
    },
  },
];

/**
 * The figures of each measured point that the main table leaves out to stay within a terminal's
 * width: p75, the transfer rate (response bytes per second, wrk's Transfer/sec), connect time (p50
 * and max; the TLS handshake included for https:// targets, as the generators time the whole
 * connect) and the status codes. Rows as the main table's: a point's repeats together (medians;
 * status codes summed, as errors are), or every repeat with `repeatRows`. Undefined when no point
 * has figures.
 */
export function renderDetailsTable(results: ResultsFile, options: Partial<ConsoleOptions> = {}): string | undefined {
  const rows = tableRows(results, options.repeatRows ?? false).filter((r) => r.ok.length > 0);
  if (rows.length === 0) return undefined;
  const latency = (r: Row, value: (p: PointResult) => number | undefined) => {
    const spread = medianOf(r, value);
    return spread && spread.median > 0 ? formatLatencyUs(spread.median) : '-';
  };
  const status = (r: Row) => {
    const codes = addStatusCodes(r.ok.map((p) => p.statusCodes));
    return codes ? formatStatusCodes(codes) || '-' : 'not counted';
  };
  const columns: Array<{ header: string; cell: (r: Row) => string }> = [
    { header: 'point', cell: (r) => (r.points.length > 1 ? pointLabel(r.first) : r.first.id) },
    { header: 'p75', cell: (r) => latency(r, (p) => p.latencyUs.p75) },
    { header: 'transfer', cell: (r) => formatBytesPerSec(medianOf(r, transferRate)?.median ?? 0) },
    { header: 'connect p50', cell: (r) => latency(r, (p) => p.loadStats.connectLatencyUs?.p50) },
    { header: 'connect max', cell: (r) => latency(r, (p) => p.loadStats.connectLatencyUs?.max) },
    { header: 'status', cell: status },
  ];
  return renderTable(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.cell(r))),
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

/** The notes under the table: what its marks mean, then what each point needs said. */
function notesFor(results: ResultsFile, options: Partial<ConsoleOptions> = {}): string[] {
  const points = results.points;
  const notes: string[] = [];
  if (points.some((p) => p.partial)) {
    notes.push('partial: the run was interrupted during this point; its figures cover the time it ran.');
  }
  const groups = tableRows(results, false).filter((r) => r.points.length > 1);
  if (groups.length > 0 && !options.repeatRows)
    notes.push(
      `repeats: req/s is the median of a point's repeats (min–max), the other figures medians too, errors and status codes summed; ${WIDE_SPREAD_MARK} marks repeats spread over ${WIDE_SPREAD_PCT}% of the median.`,
    );
  for (const r of groups) {
    const rps = medianOf(r, (p) => p.rps);
    // With a row per repeat the table carries no mark: the note says what kind of warning it is.
    const mark = options.repeatRows ? 'warning:' : WIDE_SPREAD_MARK;
    if (rps && isWideSpread(rps)) notes.push(`${mark} ${wideSpreadNote(pointLabel(r.first), rps, formatCount)}.`);
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
