/**
 * The shared data shaping behind the markdown, html and plots reporters: points grouped by server
 * and sweep value, with median and range across repeats. The x axis of every table and chart is
 * the plan's primary swept parameter (connections when it is swept); any other swept parameter
 * splits the points into groups, one table and one chart panel each. The probes of a capacity
 * search stay out of the groups (their rates are the search's, not the plan's): the capacity table
 * and the hockey stick show them, from `capacity` and `openModel`.
 */
import {
  type CapacityResult,
  mergeHistograms,
  type PointResult,
  type RepeatSpread,
  type ResultsFile,
  type SweepDimension,
  type SweepKey,
  spreadOf,
  sweepParameter,
  sweepValue,
  transferRate,
  variedParameters,
} from '@iobench/core';
import { buildOpenModel, type OpenModelData } from './open-model-data.js';

/** A sweep value: a number, or a string for handler work (`cpu:100`). */
export type SweepValue = number | string;

/** Every repeat of one server at one sweep value, aggregated. */
export interface AggregatedPoint {
  server: string;
  /** True for an anchor (a server the user started, measured for comparison). */
  anchor: boolean;
  /** Value of the primary swept parameter; undefined when nothing is swept. */
  x: SweepValue | undefined;
  /** The value of every parameter the plan varies, by parameter. */
  params: Partial<Record<SweepKey, SweepValue>>;
  /** Repeats that measured something (status `ok`). */
  ok: PointResult[];
  /** Repeats that failed or were interrupted. */
  failures: PointResult[];
  rps?: RepeatSpread;
  /** Response bytes per second (wrk's Transfer/sec). */
  bytesPerSec?: RepeatSpread;
  p50Us?: RepeatSpread;
  p75Us?: RepeatSpread;
  p95Us?: RepeatSpread;
  p99Us?: RepeatSpread;
  cpuUsPerRequest?: RepeatSpread;
  /** Repeats the load generator, not the server, was the bottleneck for. */
  generatorBoundRepeats: number;
  /** Open-model repeats that could not keep their schedule (`schedule.overloaded`). */
  overloadedRepeats: number;
  /** Open model: the target and achieved rates (req/s) and the generator's p99 send lag (µs), across repeats. */
  targetRate?: RepeatSpread;
  achievedRate?: RepeatSpread;
  sendLagP99Us?: RepeatSpread;
  /** The most connections any repeat starved (its `starvation` verdict), out of how many. */
  starved?: { connections: number; count: number };
  /** Errors summed over the ok repeats. */
  errors: number;
  /** The ok repeats' latency histograms added together (empty when no repeat measured). */
  latencyHdr?: string;
}

/** Points sharing the values of every secondary swept parameter: one table, one chart panel. */
export interface SweepGroup {
  /** e.g. `work cpu:100, threads 2`; empty when only one parameter (or none) is swept. */
  title: string;
  /** Rows in sweep-value order, then server order. */
  rows: AggregatedPoint[];
}

/** Everything the table and chart reporters draw from. */
export interface ReportModel {
  /** Every parameter the plan varies, in plan order (`plan.sweep`): a table column each. */
  varied: SweepDimension[];
  /** The parameter on the x axis; undefined when nothing is swept (bars per server). */
  x?: SweepDimension;
  /** Series in plan order: servers, then anchors, then anything else seen in the points. */
  servers: string[];
  groups: SweepGroup[];
  /** Some point ran under the open model (it has a `schedule`). */
  open: boolean;
  /** Points measured as capacity-search probes, left out of `groups`. */
  capacityProbes: number;
  /** What each capacity search found (`results.capacity`). */
  capacity: CapacityResult[];
  /** Latency against offered load, when the results have open-model data. */
  openModel?: OpenModelData;
}

/** Groups and aggregates a results file for reporting. */
export function buildReportModel(results: ResultsFile): ReportModel {
  const sweep = variedParameters(results);
  const x = sweep.find((d) => d.key === 'connections') ?? sweep[0];
  const others = sweep.filter((d) => d !== x);
  const servers = seriesOrder(results);
  const byGroup = new Map<string, { title: string; order: number; cells: Map<string, PointResult[]> }>();

  for (const p of results.points) {
    if (p.capacityProbe) continue;
    const groupKey = JSON.stringify(others.map((d) => paramValue(p, d.key)));
    let group = byGroup.get(groupKey);
    if (!group) {
      const title = others.map((d) => `${paramLabel(d.key)} ${paramValue(p, d.key) ?? '-'}`).join(', ');
      group = { title, order: groupOrder(p, others), cells: new Map() };
      byGroup.set(groupKey, group);
    }
    const cellKey = JSON.stringify([p.server, x ? paramValue(p, x.key) : null]);
    const cell = group.cells.get(cellKey) ?? [];
    cell.push(p);
    group.cells.set(cellKey, cell);
  }

  const xIndex = (v: SweepValue | undefined) => {
    const i = x && v !== undefined ? x.values.indexOf(v) : -1;
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const groups = [...byGroup.values()]
    .sort((a, b) => a.order - b.order)
    .map((g) => ({
      title: g.title,
      rows: [...g.cells.values()]
        .map((repeats) => aggregate(repeats, x?.key, sweep))
        .sort((a, b) => xIndex(a.x) - xIndex(b.x) || servers.indexOf(a.server) - servers.indexOf(b.server)),
    }));
  const openModel = buildOpenModel(results, servers);
  return {
    varied: sweep,
    ...(x ? { x } : {}),
    servers,
    groups,
    open: results.points.some((p) => p.schedule),
    capacityProbes: results.points.filter((p) => p.capacityProbe).length,
    capacity: results.capacity ?? [],
    ...(openModel ? { openModel } : {}),
  };
}

/** Human name of a swept parameter, for titles and axes. */
export function paramLabel(key: SweepKey): string {
  return sweepParameter(key).label;
}

/** The value a point has for a swept parameter. */
export function paramValue(p: PointResult, key: SweepKey): SweepValue | undefined {
  return sweepValue(p, key);
}

function aggregate(repeats: PointResult[], xKey: SweepKey | undefined, varied: SweepDimension[]): AggregatedPoint {
  const first = repeats[0]!;
  const ok = repeats.filter((p) => p.status === 'ok').sort((a, b) => a.repeat - b.repeat);
  const starved = ok.flatMap((p) => (p.starvation && p.starvation.starved > 0 ? [p.starvation] : []));
  const worst = starved.sort((a, b) => b.starved - a.starved)[0];
  const cpu = ok.filter((p) => p.serverStats).map((p) => p.serverStats!.cpuUsPerRequest);
  const rps = spreadOf(ok.map((p) => p.rps));
  const bytesPerSec = spreadOf(ok.map(transferRate));
  const p50Us = spreadOf(ok.map((p) => p.latencyUs.p50));
  const p75Us = spreadOf(ok.map((p) => p.latencyUs.p75));
  const p95Us = spreadOf(ok.map((p) => p.latencyUs.p95));
  const p99Us = spreadOf(ok.map((p) => p.latencyUs.p99));
  const cpuUsPerRequest = spreadOf(cpu);
  const scheduled = ok.flatMap((p) => (p.schedule ? [p.schedule] : []));
  const targetRate = spreadOf(scheduled.map((s) => s.targetRate));
  const achievedRate = spreadOf(scheduled.map((s) => s.achievedRate));
  const sendLagP99Us = spreadOf(scheduled.flatMap((s) => (s.sendLagUs ? [s.sendLagUs.p99] : [])));
  return {
    server: first.server,
    anchor: Boolean(first.anchor),
    x: xKey ? paramValue(first, xKey) : undefined,
    params: Object.fromEntries(varied.map((d) => [d.key, paramValue(first, d.key)])),
    ok,
    failures: repeats.filter((p) => p.status !== 'ok'),
    ...(rps ? { rps } : {}),
    ...(bytesPerSec ? { bytesPerSec } : {}),
    ...(p50Us ? { p50Us } : {}),
    ...(p75Us ? { p75Us } : {}),
    ...(p95Us ? { p95Us } : {}),
    ...(p99Us ? { p99Us } : {}),
    ...(cpuUsPerRequest ? { cpuUsPerRequest } : {}),
    generatorBoundRepeats: ok.filter((p) => p.loadStats.generatorBound).length,
    overloadedRepeats: scheduled.filter((s) => s.overloaded).length,
    ...(targetRate ? { targetRate } : {}),
    ...(achievedRate ? { achievedRate } : {}),
    ...(sendLagP99Us ? { sendLagP99Us } : {}),
    ...(worst ? { starved: { connections: worst.connections, count: worst.starved } } : {}),
    errors: ok.reduce((sum, p) => sum + Object.values(p.errors).reduce((a, b) => a + b, 0), 0),
    ...(ok.length > 0 ? { latencyHdr: mergeHistograms(ok.map((p) => p.latencyUs.hdr)) } : {}),
  };
}

function seriesOrder(results: ResultsFile): string[] {
  const names = [...results.plan.servers, ...(results.plan.anchors ?? []).map((a) => a.name)];
  for (const p of results.points) names.push(p.server);
  return [...new Set(names)];
}

/** Groups appear in the plan's order of the secondary sweep values. */
function groupOrder(p: PointResult, others: SweepDimension[]): number {
  let order = 0;
  for (const d of others) {
    const i = d.values.indexOf(paramValue(p, d.key) as SweepValue);
    order = order * (d.values.length + 1) + (i === -1 ? d.values.length : i);
  }
  return order;
}
