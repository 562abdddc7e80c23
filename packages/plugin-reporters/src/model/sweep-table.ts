/**
 * The results table markdown and html render: one row per server and parameter set (req/s, transfer
 * rate, p50 in markdown, p75, p95, p99, server CPU per request, errors, starvation), repeats as
 * median and range (a req/s range wider than core's bound marked `!`), generator-bound points marked
 * with a dagger and overloaded ones with a double dagger, each explained in a footnote; under the
 * open model, the rate as target → achieved and the generator's own send lag.
 */
import {
  describeResponses,
  formatBytesPerSec,
  formatCount,
  formatLatencyUs,
  isWideSpread,
  non2xxWarning,
  OVERLOAD_ADVICE,
  pointLabel,
  type RepeatSpread,
  type ResultsFile,
  WIDE_SPREAD_MARK,
  WIDE_SPREAD_PCT,
  wideSpreadNote,
} from '@iobench/core';
import { type AggregatedPoint, paramLabel, type ReportModel } from './sweep-model.js';

/** Marks a generator-bound figure in tables. */
export const DAGGER = '†';
/** Marks the latency of an overloaded point (the generator could not keep its schedule) in tables. */
export const DOUBLE_DAGGER = '‡';

/** A rendered table: cell text only, so that markdown and html escape it their own way. */
export interface TextTable {
  title: string;
  header: string[];
  /** Right-align these columns (numbers). */
  numeric: boolean[];
  /** Columns of running text (messages, reasons) that may wrap onto several lines; none by default. */
  wrap?: boolean[];
  rows: string[][];
}

/**
 * The results table: a row per server and parameter set, a column for every parameter the plan
 * varies (in plan order), and the range columns only when some row has repeats to spread over.
 * `p50`: a median column — markdown's table has it; html's leaves it out, because with the range
 * columns and a swept parameter it overflows the 1280 px page (html's every-point table has p50).
 */
export function sweepTable(model: ReportModel, { p50 }: { p50: boolean }): TextTable {
  const rows = model.groups.flatMap((g) => g.rows);
  const ranges = hasRanges(model);
  type Figure = { header: string; cell: (a: AggregatedPoint) => string; range?: boolean };
  const all: Figure[] = [
    ...(model.open ? [{ header: 'rate → achieved', cell: rateCell }] : []),
    { header: 'req/s', cell: (a) => `${formatCount(a.rps!.median)}${a.generatorBoundRepeats > 0 ? ` ${DAGGER}` : ''}` },
    {
      header: 'req/s range',
      cell: (a) => `${spread(a.rps!, formatCount)}${isWideSpread(a.rps) ? WIDE_SPREAD_MARK : ''}`,
      range: true,
    },
    // Throughput in bytes beside throughput in requests, as wrk prints Requests/sec and Transfer/sec.
    { header: 'transfer', cell: (a) => (a.bytesPerSec ? formatBytesPerSec(a.bytesPerSec.median) : '-') },
    ...(p50
      ? [{ header: 'p50', cell: (a: AggregatedPoint) => (a.p50Us ? formatLatencyUs(a.p50Us.median) : '-') }]
      : []),
    { header: 'p75', cell: (a) => (a.p75Us ? formatLatencyUs(a.p75Us.median) : '-') },
    { header: 'p95', cell: (a) => (a.p95Us ? formatLatencyUs(a.p95Us.median) : '-') },
    {
      header: 'p99',
      cell: (a) =>
        a.p99Us ? `${formatLatencyUs(a.p99Us.median)}${a.overloadedRepeats > 0 ? ` ${DOUBLE_DAGGER}` : ''}` : '-',
    },
    { header: 'p99 range', cell: (a) => (a.p99Us ? spread(a.p99Us, formatLatencyUs) : '-'), range: true },
    ...(model.open
      ? [
          {
            header: 'lag p99',
            cell: (a: AggregatedPoint) => (a.sendLagP99Us ? formatLatencyUs(a.sendLagP99Us.median) : '-'),
          },
        ]
      : []),
    { header: 'CPU µs/req', cell: (a) => (a.cpuUsPerRequest ? formatCount(a.cpuUsPerRequest.median) : '-') },
    { header: 'errors', cell: (a) => formatCount(a.errors) },
    { header: 'starved', cell: (a) => (a.starved ? `${a.starved.count}/${a.starved.connections}` : '0') },
  ];
  const figures = all.filter((f) => ranges || !f.range);
  // Under the open model the rate has its own column (target → achieved), swept or not.
  const varied = model.varied.filter((d) => !(model.open && d.key === 'rate'));
  const header = ['server', ...varied.map((d) => paramLabel(d.key)), ...figures.map((f) => f.header), 'repeats'];
  const numeric = [
    false,
    ...varied.map((d) => d.values.every((v) => typeof v === 'number')),
    ...figures.map(() => true),
    true,
  ];
  const body = rows.map((a) => {
    const repeats = `${a.ok.length}/${a.ok.length + a.failures.length}`;
    const why = a.failures[0]?.status === 'interrupted' ? 'interrupted' : 'failed';
    return [
      a.anchor ? `${a.server} (anchor)` : a.server,
      ...varied.map((d) => String(a.params[d.key] ?? '-')),
      ...figures.map((f, i) => (a.rps ? f.cell(a) : i === 0 ? why : '')),
      repeats,
    ];
  });
  return { title: '', header, numeric, rows: body };
}

/** The open model's `40,000 → 39,870` (medians of the repeats); `-` for a closed-model row. */
function rateCell(a: AggregatedPoint): string {
  if (!a.targetRate || !a.achievedRate) return '-';
  return `${formatCount(a.targetRate.median)} → ${formatCount(a.achievedRate.median)}`;
}

/** True when some row has more than one successful repeat, so that ranges say something. */
export function hasRanges(model: ReportModel): boolean {
  return model.groups.some((g) => g.rows.some((a) => a.ok.length > 1));
}

/** `min–max`, or `-` for a single repeat (no spread to show). */
function spread(range: RepeatSpread, format: (n: number) => string): string {
  return range.n < 2 ? '-' : `${format(range.min)}–${format(range.max)}`;
}

/** What the table's columns mean, for a line under it; ranges are explained only when the table has them. */
export function tableLegend(model: ReportModel): string {
  const legend = hasRanges(model)
    ? `req/s, transfer and latency percentiles: median of the repeats; range: min–max across repeats (${WIDE_SPREAD_MARK}: wider than ${WIDE_SPREAD_PCT}% of the median); transfer: response bytes per second; CPU µs/req: server user + system CPU per request, median; errors: summed over the repeats.`
    : 'transfer: response bytes per second; CPU µs/req: server user + system CPU per request.';
  return model.open
    ? `${legend} rate → achieved: the open model's target and achieved req/s; p99: corrected latency (from the intended send time); lag p99: the generator's own lateness sending (actual minus intended send time), counted in the latency.`
    : legend;
}

/** Footnotes for the tables: generator-bound, starvation, responses not 2xx and errors, failures. */
export function tableNotes(model: ReportModel): string[] {
  const all = model.groups.flatMap((g) => g.rows);
  const notes: string[] = [];
  if (all.some((a) => a.generatorBoundRepeats > 0)) {
    notes.push(
      `${DAGGER} generator-bound: the load generator, not the server, was the bottleneck in at least one repeat; req/s there is a lower bound, compare CPU µs/req instead.`,
    );
  }
  if (all.some((a) => a.overloadedRepeats > 0))
    notes.push(`${DOUBLE_DAGGER} ${OVERLOAD_ADVICE} (in at least one repeat).`);
  if (all.some((a) => a.starved)) {
    notes.push(
      'starved: connections left waiting in the worst repeat (head-of-line starvation), out of all connections: they completed no request or, under a generator without per-connection counts (wrk), had not been accepted halfway through the measured phase.',
    );
  }
  for (const a of all) {
    if (isWideSpread(a.rps)) notes.push(`${WIDE_SPREAD_MARK} ${wideSpreadNote(rowLabel(a), a.rps!, formatCount)}.`);
    for (const p of a.ok) {
      if (p.schedule?.overloaded)
        notes.push(`${p.id}: overloaded: ${p.schedule.overloadReason ?? 'the schedule was not kept'}`);
      const responses = describeResponses(p);
      if (responses) notes.push(`${p.id}: ${responses}`);
      const warning = non2xxWarning(p);
      if (warning) notes.push(`${p.id}: ${warning}`);
    }
    for (const p of a.failures) notes.push(`${p.id}: ${p.status}${p.error ? `: ${p.error.message}` : ''}`);
  }
  if (model.capacityProbes > 0)
    notes.push(
      all.length > 0
        ? `${model.capacityProbes} capacity-search probe(s) are left out of this table: the capacity table and the chart of latency against offered load show them.`
        : `Every point (${model.capacityProbes}) was a capacity-search probe: the capacity table and the chart of latency against offered load show them.`,
    );
  return notes;
}

/** A row's point, as the console names it: the first repeat's id without its repeat suffix. */
function rowLabel(a: AggregatedPoint): string {
  return pointLabel(a.ok[0] ?? a.failures[0]!);
}

/** The run's environment in one line. */
export function environmentLine(results: ResultsFile): string {
  const env = results.env;
  const parts = [
    `${env.platform} ${env.kernel} ${env.arch}`,
    `${env.cpuModel} × ${env.cpuCount}`,
    `${(env.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
    `Node ${env.node}`,
    `iobench ${env.iobench}`,
  ];
  if (env.gitCommit) parts.push(`commit ${env.gitCommit.slice(0, 10)}`);
  for (const [tool, output] of Object.entries(env.tools ?? {})) {
    // Version lines carry extras (`wrk 4.1.0 [epoll] Copyright (C) ...`): keep the version.
    const version = output.replace(/\s*(\[|\(|Copyright).*$/, '');
    parts.push(version.startsWith(tool) ? version : `${tool} ${version}`);
  }
  if (env.pinning?.serverCpus) parts.push(`server on CPUs ${env.pinning.serverCpus}`);
  if (env.pinning?.loadCpus) parts.push(`load on CPUs ${env.pinning.loadCpus}`);
  if (env.fdLimit !== undefined) parts.push(`ulimit -n ${env.fdLimit}`);
  return parts.join(' · ');
}

/** The plan in one line: what was asked for. */
export function planLine(results: ResultsFile): string {
  const plan = results.plan;
  const seconds = (ms: number) => `${ms / 1000}s`;
  const parts = [
    plan.target ? `target ${plan.target}` : `servers ${plan.servers.join(', ')}`,
    ...(plan.anchors?.length ? [`anchors ${plan.anchors.map((a) => a.name).join(', ')}`] : []),
    `load ${plan.loads.join(', ')}`,
    `connections ${plan.connections.join(', ')}`,
    `threads ${plan.threads.join(', ')}`,
    `duration ${seconds(plan.durationMs)}`,
    `warm-up ${seconds(plan.warmupMs)}`,
    `${plan.repeat} repeat(s)`,
  ];
  if (plan.idleConnections.some((n) => n > 0)) parts.push(`idle connections ${plan.idleConnections.join(', ')}`);
  if (plan.rate?.length) parts.push(`rate ${plan.rate.join(', ')} req/s`);
  if (plan.stages?.length)
    parts.push(`stages ${plan.stages.map((s) => `${seconds(s.durationMs)}:${s.rate}`).join(', ')} req/s`);
  if (plan.arrivals) parts.push(`${plan.arrivals} arrivals${plan.seed !== undefined ? ` (seed ${plan.seed})` : ''}`);
  if (plan.findCapacity) parts.push(`capacity search at ${plan.findCapacity.slo.join(', ')}`);
  if (plan.bodySize?.length) parts.push(`body ${plan.bodySize.join(', ')} B`);
  if (plan.work?.length) parts.push(`work ${plan.work.join(', ')}`);
  if (plan.pipelining > 1) parts.push(`pipelining ${plan.pipelining}`);
  parts.push(`${plan.pointCount} points`);
  return parts.join(' · ');
}
