/**
 * Results as CSV (RFC 4180): one row per point, every repeat kept, for spreadsheets and pandas;
 * each row also carries its point's repeats as the other reports give them (median and range of
 * req/s, the spread in percent, and whether it is too wide to trust).
 * Latencies in microseconds, as measured; empty cells where a point has no figure. What capacity
 * searches found is a table of another shape (one row per search), so it goes to a file of its own.
 */
import {
  type CapacityResult,
  ERROR_CLASSES,
  formatDurationMs,
  groupRepeats,
  hasFigures,
  isWideSpread,
  type LatencySummary,
  type PointResult,
  type RepeatSpread,
  type ResultsFile,
  type SweepKey,
  spreadOf,
  spreadPct,
  sweepValue,
  transferRate,
  variedParameters,
} from '@iobench/core';
import { sortSyscalls } from './model/accounting.js';
import { capacityAnswer } from './model/capacity-table.js';

type Cell = string | number | boolean | undefined;

interface Column {
  name: string;
  value: (p: PointResult) => Cell;
}

/** Renders every point of a results file as CSV text (header line first, CRLF line ends). */
export function renderCsv(results: ResultsFile): string {
  return csvText(csvColumns(results), results.points);
}

/**
 * What each capacity search found, one row per search (`capacity.csv`); undefined when the run
 * searched for none. `answer` is the capacity in words, as the markdown and html tables give it.
 */
export function renderCapacityCsv(results: ResultsFile): string | undefined {
  if (!results.capacity?.length) return undefined;
  const columns: Array<{ name: string; value: (c: CapacityResult) => Cell }> = [
    { name: 'search', value: (c) => c.search },
    { name: 'server', value: (c) => c.server },
    { name: 'anchor', value: (c) => Boolean(c.anchor) },
    { name: 'load', value: (c) => c.load },
    { name: 'connections', value: (c) => c.params.connections },
    { name: 'arrivals', value: (c) => c.params.arrivals },
    { name: 'slo', value: (c) => c.slo.join(' ') },
    { name: 'outcome', value: (c) => c.outcome },
    { name: 'rate', value: (c) => c.rate },
    { name: 'low', value: (c) => c.low },
    { name: 'high', value: (c) => c.high },
    { name: 'rounds', value: (c) => c.estimates.length },
    { name: 'estimates', value: (c) => c.estimates.join(' ') },
    { name: 'saturationRps', value: (c) => c.saturationRps },
    { name: 'probes', value: (c) => c.probes },
    { name: 'answer', value: capacityAnswer },
    { name: 'summary', value: (c) => c.summary },
  ];
  return csvText(columns, results.capacity);
}

function csvText<T>(columns: Array<{ name: string; value: (row: T) => Cell }>, rows: readonly T[]): string {
  const lines = [columns.map((c) => c.name), ...rows.map((r) => columns.map((c) => c.value(r)))];
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The columns: identity, the swept parameters, outcome, throughput and transfer, latency, errors and
 * status codes (a column per code seen, `status.<code>`), server cost (with a column
 * per syscall the servers counted, `syscalls.<name>`, and per syscall strace saw, `strace.<name>`,
 * both per request), generator cost, the open model's schedule (when some point has one), capacity
 * probes (when some point is one), profile files.
 */
export function csvColumns(results: ResultsFile): Column[] {
  const swept = variedParameters(results)
    .map((d) => d.key)
    .filter((k) => k !== 'connections');
  const lat = (key: keyof Omit<PointResult['latencyUs'], 'hdr'>) => (p: PointResult) =>
    hasFigures(p) ? p.latencyUs[key] : undefined;
  const repeats = repeatSpreads(results.points);
  const ofRepeats = (value: (s: RepeatSpread) => Cell) => (p: PointResult) => {
    const s = repeats.get(p);
    return s ? value(s) : undefined;
  };
  const server =
    <K extends keyof NonNullable<PointResult['serverStats']>>(key: K) =>
    (p: PointResult) =>
      p.serverStats?.[key] as Cell;
  return [
    { name: 'id', value: (p) => p.id },
    { name: 'server', value: (p) => p.server },
    { name: 'anchor', value: (p) => Boolean(p.anchor) },
    { name: 'load', value: (p) => p.load },
    { name: 'connections', value: (p) => p.params.connections },
    ...swept.map((key: SweepKey) => ({ name: key, value: (p: PointResult) => sweepValue(p, key) })),
    { name: 'repeat', value: (p) => p.repeat },
    { name: 'status', value: (p) => p.status },
    { name: 'partial', value: (p) => Boolean(p.partial) },
    { name: 'error', value: (p) => p.error?.message },
    { name: 'requests', value: (p) => p.requests },
    { name: 'durationMs', value: (p) => p.durationMs },
    { name: 'rps', value: (p) => round(p.rps) },
    { name: 'repeats', value: ofRepeats((s) => s.n) },
    { name: 'rpsMedian', value: ofRepeats((s) => round(s.median)) },
    { name: 'rpsMin', value: ofRepeats((s) => round(s.min)) },
    { name: 'rpsMax', value: ofRepeats((s) => round(s.max)) },
    { name: 'rpsSpreadPct', value: ofRepeats((s) => optionalRound(spreadPct(s))) },
    { name: 'wideSpread', value: ofRepeats(isWideSpread) },
    { name: 'bytes', value: (p) => p.bytes },
    { name: 'bytesPerSec', value: (p) => round(transferRate(p)) },
    { name: 'p50Us', value: lat('p50') },
    { name: 'p75Us', value: lat('p75') },
    { name: 'p90Us', value: lat('p90') },
    { name: 'p95Us', value: lat('p95') },
    { name: 'p99Us', value: lat('p99') },
    { name: 'p99_9Us', value: lat('p99_9') },
    { name: 'p99_99Us', value: lat('p99_99') },
    { name: 'maxUs', value: lat('max') },
    { name: 'meanUs', value: lat('mean') },
    { name: 'errors', value: (p) => Object.values(p.errors).reduce((a, b) => a + b, 0) },
    ...ERROR_CLASSES.map((k) => ({ name: `errors.${k}`, value: (p: PointResult) => p.errors[k] })),
    // A column per status code any point saw; empty for a point whose generator did not count codes.
    ...[...names(results, (p) => p.statusCodes)].sort().map((code) => ({
      name: `status.${code}`,
      value: (p: PointResult) => (p.statusCodes ? (p.statusCodes[code] ?? 0) : undefined),
    })),
    { name: 'serverCpuUs', value: server('cpuUs') },
    { name: 'cpuUsPerRequest', value: server('cpuUsPerRequest') },
    { name: 'ctxSwitchesPerRequest', value: server('ctxSwitchesPerRequest') },
    { name: 'syscallsPerRequest', value: (p) => syscallsPerRequest(p) },
    { name: 'userCpuUsPerRequest', value: perRequest((s) => s.userCpuUs) },
    { name: 'systemCpuUsPerRequest', value: perRequest((s) => s.systemCpuUs) },
    { name: 'voluntaryCtxSwitchesPerRequest', value: perRequest((s) => s.voluntaryCtxSwitches) },
    { name: 'involuntaryCtxSwitchesPerRequest', value: perRequest((s) => s.involuntaryCtxSwitches) },
    ...sortSyscalls(names(results, (p) => p.serverStats?.syscalls)).map((name) => ({
      name: `syscalls.${name}`,
      value: perRequest((s) => (s.syscalls ? (s.syscalls[name] ?? 0) : undefined)),
    })),
    ...[...names(results, (p) => p.profiles?.strace?.syscalls)].sort().map((name) => ({
      name: `strace.${name}`,
      value: (p: PointResult) => {
        const calls = p.profiles?.strace?.syscalls;
        return calls && p.requests > 0 ? precise((calls[name]?.calls ?? 0) / p.requests) : undefined;
      },
    })),
    { name: 'accepted', value: server('accepted') },
    { name: 'refused', value: server('refused') },
    { name: 'starvedConnections', value: (p) => p.starvation?.starved },
    { name: 'perConnectionMin', value: (p) => p.perConnection?.min },
    { name: 'perConnectionMax', value: (p) => p.perConnection?.max },
    { name: 'loadCpuUsPerRequest', value: (p) => p.loadStats.cpuUsPerRequest },
    { name: 'generatorBound', value: (p) => p.loadStats.generatorBound },
    { name: 'generatorBoundReason', value: (p) => p.loadStats.generatorBoundReason },
    ...(results.points.some((p) => p.schedule) ? SCHEDULE_COLUMNS : []),
    ...(results.points.some((p) => p.capacityProbe) ? PROBE_COLUMNS : []),
    { name: 'perfSamples', value: (p) => p.profiles?.perf?.samples },
    { name: 'perfFolded', value: (p) => p.profiles?.perf?.folded },
    { name: 'perfSvg', value: (p) => p.profiles?.perf?.svg },
    { name: 'startedAt', value: (p) => p.startedAt },
  ];
}

/** The generator's send lag (µs) at a percentile, or its maximum. */
const lag = (key: keyof Omit<LatencySummary, 'hdr'>) => (p: PointResult) => p.schedule?.sendLagUs?.[key];

/** The open model: how the sends were scheduled, how well the generator kept to it, and the verdict. */
const SCHEDULE_COLUMNS: Column[] = [
  { name: 'arrivals', value: (p) => p.params.arrivals },
  { name: 'seed', value: (p) => p.params.seed },
  {
    name: 'stages',
    value: (p) => p.params.stages?.map((s) => `${formatDurationMs(s.durationMs)}:${s.rate}`).join(' '),
  },
  { name: 'targetRate', value: (p) => p.schedule?.targetRate },
  { name: 'achievedRate', value: (p) => (p.schedule ? round(p.schedule.achievedRate) : undefined) },
  { name: 'offered', value: (p) => p.schedule?.offered },
  { name: 'lateSends', value: (p) => p.schedule?.lateSends },
  { name: 'droppedSends', value: (p) => p.schedule?.droppedSends },
  { name: 'sendLagP50Us', value: lag('p50') },
  { name: 'sendLagP90Us', value: lag('p90') },
  { name: 'sendLagP99Us', value: lag('p99') },
  { name: 'sendLagP99_9Us', value: lag('p99_9') },
  { name: 'sendLagMaxUs', value: lag('max') },
  { name: 'overloaded', value: (p) => p.schedule?.overloaded },
  { name: 'overloadReason', value: (p) => p.schedule?.overloadReason },
];

/** A capacity search's probe: which search, which phase, and whether it passed. */
const PROBE_COLUMNS: Column[] = [
  { name: 'capacitySearch', value: (p) => p.capacityProbe?.search },
  { name: 'capacityPhase', value: (p) => p.capacityProbe?.phase },
  { name: 'capacityRound', value: (p) => p.capacityProbe?.round },
  { name: 'capacityPass', value: (p) => p.capacityProbe?.pass },
  { name: 'capacityReason', value: (p) => p.capacityProbe?.reason },
];

/**
 * Each point's req/s across the ok repeats of its point (itself included), by point; a point whose
 * repeats all failed has none.
 */
function repeatSpreads(points: PointResult[]): Map<PointResult, RepeatSpread> {
  const out = new Map<PointResult, RepeatSpread>();
  for (const group of groupRepeats(points).values()) {
    const spread = spreadOf(group.filter((p) => p.status === 'ok').map((p) => p.rps));
    if (spread) for (const p of group) out.set(p, spread);
  }
  return out;
}

/** Every counted syscall per request, added up; empty when the server has no syscall counters. */
function syscallsPerRequest(p: PointResult): number | undefined {
  const per = p.serverStats?.syscallsPerRequest;
  if (!per) return undefined;
  return round(Object.values(per).reduce((a, b) => a + b, 0));
}

/** A server figure divided by the point's requests, to four significant digits (results round to two decimals). */
function perRequest(
  figure: (s: NonNullable<PointResult['serverStats']>) => number | undefined,
): (p: PointResult) => Cell {
  return (p) => {
    const n = p.serverStats ? figure(p.serverStats) : undefined;
    return n === undefined || p.requests <= 0 ? undefined : precise(n / p.requests);
  };
}

/** Every key of a per-point record, across all points. */
function names(results: ResultsFile, record: (p: PointResult) => Record<string, unknown> | undefined): Set<string> {
  return new Set(results.points.flatMap((p) => Object.keys(record(p) ?? {})));
}

function precise(x: number): number {
  return Number(x.toPrecision(4));
}

function csvCell(cell: Cell): string {
  if (cell === undefined) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function optionalRound(x: number | undefined): number | undefined {
  return x === undefined ? undefined : round(x);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
