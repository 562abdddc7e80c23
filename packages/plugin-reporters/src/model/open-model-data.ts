/**
 * Latency against offered load — the hockey stick — from whatever open-model data the results hold,
 * point by point: a capacity probe or a point of a plain `--rate` sweep is one sample at its rate
 * (`params.rate`); a staged point (`--stages`) is a sample per second, at the load offered in that
 * second. The knees come from what each capacity search found (`results.capacity`).
 */
import type { CapacityResult, PointParams, PointResult, ResultsFile } from '@iobench/core';
import { formatCount, overloadVerdict } from '@iobench/core';

/** The percentiles the hockey stick draws, as chart labels, with the summary key each is read from. */
export const LOAD_PERCENTILES = [
  { label: 'p50', key: 'p50' },
  { label: 'p99', key: 'p99' },
  { label: 'p99.9', key: 'p99_9' },
] as const;

export type LoadPercentile = (typeof LOAD_PERCENTILES)[number]['label'];

/** Whether a sample kept its schedule, as the chart's legend says it. */
export const KEPT = 'kept schedule';
export const OVERLOADED_SAMPLE = 'overloaded';

/** One percentile of one sample: a probe, a point of a rate sweep, or one second of a staged point. */
export interface LoadRow {
  server: string;
  /** Panel title: the parameters that differ between the open-model points (empty with one panel). */
  panel: string;
  /** The load offered, requests per second. */
  offeredRps: number;
  percentile: LoadPercentile;
  /** Corrected latency (from the intended send time), milliseconds. */
  latencyMs: number;
  /** `kept schedule` or `overloaded`. */
  schedule: string;
  /** Why it was overloaded, in words; empty when it was not. */
  reason: string;
  /** The point it comes from, and which part of it: `epoll/native/c64/rate40000/r0, second 3`. */
  source: string;
}

/** What one capacity search found, placed on the offered-load axis. */
export interface KneeRow {
  server: string;
  panel: string;
  /** The capacity (the median of the rounds), req/s. */
  rate: number;
  /** The rounds' lowest and highest estimate (the rate itself when there was one round). */
  low: number;
  high: number;
  /** `epoll: 41,800 req/s at p99<1ms (40,900–42,500)`. */
  label: string;
}

/** Everything the hockey stick draws. */
export interface OpenModelData {
  rows: LoadRow[];
  knees: KneeRow[];
  /** Panel titles in order of first appearance; one empty title when every point shares its parameters. */
  panels: string[];
  /** What the samples are, for the subtitle. */
  sources: Array<'capacity probes' | 'staged seconds' | 'rate points'>;
}

/** The hockey stick's data; undefined when no point measured under the open model. */
export function buildOpenModel(results: ResultsFile, servers: string[]): OpenModelData | undefined {
  const points = results.points.filter((p) => p.status === 'ok' && (p.capacityProbe || p.schedule) && hasRate(p));
  if (points.length === 0) return undefined;
  const panelOf = panelNamer([...points.map((p) => ({ ...p.params, load: p.load })), ...capacityContexts(results)]);
  const rows: LoadRow[] = [];
  const sources = new Set<OpenModelData['sources'][number]>();
  for (const p of points) {
    const panel = panelOf({ ...p.params, load: p.load });
    if (p.params.stages && !p.capacityProbe) {
      const seconds = stagedRows(p, panel);
      if (seconds.length > 0) sources.add('staged seconds');
      rows.push(...seconds);
    } else {
      sources.add(p.capacityProbe ? 'capacity probes' : 'rate points');
      const overloaded = Boolean(p.schedule?.overloaded);
      const reason = p.schedule?.overloadReason ?? '';
      const phase = p.capacityProbe ? `, ${p.capacityProbe.phase} probe` : '';
      rows.push(...percentileRows(p, panel, p.params.rate!, p.latencyUs, overloaded, reason, `${p.id}${phase}`));
    }
  }
  if (rows.length === 0) return undefined;
  const knees = (results.capacity ?? []).flatMap((c) => kneeOf(c, panelOf({ ...c.params, load: c.load })));
  const order = (server: string) => servers.indexOf(server);
  rows.sort((a, b) => order(a.server) - order(b.server) || a.offeredRps - b.offeredRps);
  return {
    rows,
    knees,
    panels: [...new Set([...rows.map((r) => r.panel), ...knees.map((k) => k.panel)])],
    sources: [...sources],
  };
}

/** A capacity probe or open-model point has a rate; a staged point has its stages (the saturation probe has neither). */
function hasRate(p: PointResult): boolean {
  return p.params.rate !== undefined || (p.params.stages?.length ?? 0) > 0;
}

/**
 * The seconds of a staged point, each at the load offered in it (scaled to a rate for the last,
 * short second; seconds under 0.1 s and seconds in which nothing completed are left out). A
 * second is overloaded by core's rule, judged on the sends it offered and those of them that went
 * out late or never (`perSecond[].late`).
 */
function stagedRows(p: PointResult, panel: string): LoadRow[] {
  return (p.perSecond ?? []).flatMap((s) => {
    const coveredS = Math.min(1, (p.durationMs - s.second * 1000) / 1000);
    if (!s.latencyUs || !s.offered || coveredS < 0.1) return [];
    const offeredRps = s.offered / coveredS;
    const verdict = overloadVerdict({
      targetRate: offeredRps,
      achievedRate: s.requests / coveredS,
      offered: s.offered,
      lateSends: s.late ?? 0,
      droppedSends: 0,
      ...(p.schedule?.lateAfterUs !== undefined ? { lateAfterUs: p.schedule.lateAfterUs } : {}),
    });
    const reason = verdict.overloaded ? `in second ${s.second}: ${verdict.overloadReason}` : '';
    return percentileRows(p, panel, offeredRps, s.latencyUs, verdict.overloaded, reason, `${p.id}, second ${s.second}`);
  });
}

function percentileRows(
  p: PointResult,
  panel: string,
  offeredRps: number,
  latency: PointResult['latencyUs'],
  overloaded: boolean,
  reason: string,
  source: string,
): LoadRow[] {
  return LOAD_PERCENTILES.map(({ label, key }) => ({
    server: p.server,
    panel,
    offeredRps: Math.round(offeredRps * 100) / 100,
    percentile: label,
    latencyMs: latency[key] / 1000,
    schedule: overloaded ? OVERLOADED_SAMPLE : KEPT,
    reason,
    source,
  }));
}

/** The knee of a search that found a rate: its median with the rounds' interval; none without a rate. */
function kneeOf(c: CapacityResult, panel: string): KneeRow[] {
  if (c.rate === undefined || (c.outcome !== 'found' && c.outcome !== 'generator-bound')) return [];
  const low = c.low ?? c.rate;
  const high = c.high ?? c.rate;
  const slo = c.slo.length > 0 ? ` at ${c.slo.join(', ')}` : '';
  const interval = low !== high ? ` (${formatCount(low)}–${formatCount(high)})` : '';
  const label =
    c.outcome === 'generator-bound'
      ? `${c.server}: above ${formatCount(c.rate)} req/s (generator-bound)`
      : `${c.server}: ${formatCount(c.rate)} req/s${slo}${interval}`;
  return [{ server: c.server, panel, rate: c.rate, low, high, label }];
}

function capacityContexts(results: ResultsFile): PanelContext[] {
  return (results.capacity ?? []).map((c) => ({ ...c.params, load: c.load }));
}

type PanelContext = PointParams & { load: string };

/** Parameters besides the rate that can tell open-model series apart, with how a panel title names them. */
const PANEL_PARAMS: Array<{ key: keyof PanelContext; name: (v: unknown) => string }> = [
  { key: 'load', name: (v) => `load ${v}` },
  { key: 'connections', name: (v) => `${v} connections` },
  { key: 'threads', name: (v) => `${v} generator thread(s)` },
  { key: 'arrivals', name: (v) => `${v} arrivals` },
  { key: 'work', name: (v) => `work ${v}` },
  { key: 'bodySize', name: (v) => `body ${v} B` },
  { key: 'idleConnections', name: (v) => `${v} idle` },
];

/** Names a context by the parameters that differ across `all` (empty when none does: one panel). */
function panelNamer(all: PanelContext[]): (c: PanelContext) => string {
  const differing = PANEL_PARAMS.filter(({ key }) => new Set(all.map((c) => String(c[key]))).size > 1);
  return (c) => differing.map(({ key, name }) => name(c[key] ?? '-')).join(', ');
}
