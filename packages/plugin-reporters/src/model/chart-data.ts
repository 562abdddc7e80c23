/**
 * Rows for the charts, derived from the report model: one row per aggregated point for the
 * sweep charts, a percentile spectrum per series, and requests and latency per second over time.
 */
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  type PointResult,
  spreadOf,
} from '@iobench/core';
import { type AggregatedPoint, paramLabel, type ReportModel } from './sweep-model.js';

/** Legend value of generator-bound points, of overloaded ones (open model), and of the others. */
export const GENERATOR_BOUND = 'generator-bound';
export const OVERLOADED = 'overloaded';
export const MEASURED = 'server-bound';

/** One aggregated point as a chart row (medians, with min and max for the error bars). */
export interface SweepRow {
  server: string;
  group: string;
  x: number | string | null;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p99Ms: number | null;
  cpuUsPerRequest: number | null;
  cpuMin: number | null;
  cpuMax: number | null;
  repeats: number;
  /** `overloaded` when any repeat was, else `generator-bound` when any repeat was. */
  bound: string;
}

/** One sample of a latency percentile spectrum. */
export interface SpectrumRow {
  server: string;
  /** Panel title: the group and the sweep value, e.g. `connections 64`. */
  panel: string;
  percentile: number;
  /** 1 / (1 - percentile/100): the x position on HdrHistogram's log axis. */
  inverse: number;
  latencyMs: number;
  /** `overloaded` or `generator-bound` when any repeat of the point was. */
  bound: string;
}

/** One second of the measured phase: requests (median across repeats) and latency (repeats merged). */
export interface TimeRow {
  server: string;
  panel: string;
  /** Where the second starts and ends, in seconds since the start of the measured phase (the last one may be short). */
  startS: number;
  endS: number;
  rps: number;
  errors: number;
  /** Latency percentiles of the requests completed in this second, in ms; null when the generator kept no per-second histogram (wrk). */
  p50Ms: number | null;
  p99Ms: number | null;
  bound: string;
}

/** Sweep rows for every aggregated point that measured something. */
export function sweepRows(model: ReportModel): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const group of model.groups) {
    for (const a of group.rows) {
      if (!a.rps) continue;
      rows.push({
        server: a.server,
        group: group.title,
        x: a.x ?? null,
        rps: round(a.rps.median),
        rpsMin: round(a.rps.min),
        rpsMax: round(a.rps.max),
        p99Ms: a.p99Us ? a.p99Us.median / 1000 : null,
        cpuUsPerRequest: a.cpuUsPerRequest ? round(a.cpuUsPerRequest.median) : null,
        cpuMin: a.cpuUsPerRequest ? round(a.cpuUsPerRequest.min) : null,
        cpuMax: a.cpuUsPerRequest ? round(a.cpuUsPerRequest.max) : null,
        repeats: a.ok.length,
        bound: boundOf(a),
      });
    }
  }
  return rows;
}

/** Percentile marks on the spectrum's x axis, HdrHistogram style. */
export const SPECTRUM_TICKS = [
  { inverse: 2, label: '50%' },
  { inverse: 10, label: '90%' },
  { inverse: 100, label: '99%' },
  { inverse: 1_000, label: '99.9%' },
  { inverse: 10_000, label: '99.99%' },
  { inverse: 100_000, label: '99.999%' },
  { inverse: 1_000_000, label: '99.9999%' },
];

/** Samples per decade of 1/(1-p): enough for a smooth line, few enough for a small file. */
const SPECTRUM_STEPS_PER_DECADE = 20;

/**
 * The latency spectrum of every aggregated point (repeats merged), sampled on a log grid of
 * 1/(1-p) from its first step (about p11) up to the last percentile the sample size supports, then
 * the maximum.
 */
export function spectrumRows(model: ReportModel): SpectrumRow[] {
  const rows: SpectrumRow[] = [];
  for (const group of model.groups) {
    for (const a of group.rows) {
      if (!a.latencyHdr) continue;
      const h = decodeHistogram(a.latencyHdr);
      const count = h.totalCount;
      if (count === 0) continue;
      const panel = panelTitle(model, group.title, a);
      const bound = boundOf(a);
      const top = Math.log10(count);
      // From the first step past 0%: the minimum alone at x = 1 drew a stub against the panel edge.
      for (let step = 1; step / SPECTRUM_STEPS_PER_DECADE < top; step++) {
        const inverse = 10 ** (step / SPECTRUM_STEPS_PER_DECADE);
        const percentile = 100 * (1 - 1 / inverse);
        rows.push({
          server: a.server,
          panel,
          percentile: round(percentile, 6),
          inverse: round(inverse, 3),
          latencyMs: h.getValueAtPercentile(percentile) / 1000,
          bound,
        });
      }
      rows.push({ server: a.server, panel, percentile: 100, inverse: count, latencyMs: h.maxValue / 1000, bound });
    }
  }
  return rows;
}

/**
 * Each second of the measured phase: requests per second (median across repeats) and the latency
 * of the requests completed in it (the repeats' histograms of that second merged).
 */
export function timeRows(model: ReportModel): TimeRow[] {
  const rows: TimeRow[] = [];
  for (const group of model.groups) {
    for (const a of group.rows) {
      const repeats = a.ok.filter((p) => p.perSecond && p.perSecond.length > 0).map(secondsOf);
      if (repeats.length === 0) continue;
      const panel = panelTitle(model, group.title, a);
      const seconds = [...new Set(repeats.flatMap((r) => [...r.keys()]))].sort((x, y) => x - y);
      for (const second of seconds) {
        const samples = repeats.flatMap((r) => (r.has(second) ? [r.get(second)!] : []));
        const rps = spreadOf(samples.map((s) => s.rps))!;
        const errors = spreadOf(samples.map((s) => s.errors))!;
        const hdrs = samples.map((s) => s.latencyHdr);
        const latency = hdrs.every((h) => h !== undefined) ? decodeHistogram(mergeHistograms(hdrs)) : undefined;
        const at = (p: number) => (latency && latency.totalCount > 0 ? latency.getValueAtPercentile(p) / 1000 : null);
        rows.push({
          server: a.server,
          panel,
          startS: second,
          endS: round(Math.max(...samples.map((s) => s.endS))),
          rps: round(rps.median),
          errors: round(errors.median),
          p50Ms: at(50),
          p99Ms: at(99),
          bound: boundOf(a),
        });
      }
    }
  }
  return rows;
}

/** Panel titles in display order (group, then sweep value). */
export function panelOrder(model: ReportModel): string[] {
  const titles = model.groups.flatMap((g) => g.rows.map((a) => panelTitle(model, g.title, a)));
  return [...new Set(titles)];
}

/**
 * What limited the point: an overloaded repeat wins over a generator-bound one, since its latency is
 * the generator's own queue; either way the server was not what was measured.
 */
function boundOf(a: AggregatedPoint): string {
  return a.overloadedRepeats > 0 ? OVERLOADED : a.generatorBoundRepeats > 0 ? GENERATOR_BOUND : MEASURED;
}

function panelTitle(model: ReportModel, groupTitle: string, a: AggregatedPoint): string {
  const value = model.x && a.x !== undefined ? `${paramLabel(model.x.key)} ${a.x}` : '';
  return [groupTitle, value].filter(Boolean).join(', ') || 'all points';
}

/**
 * The seconds of one repeat, by second. The last sample covers only the rest of the measured
 * phase, so it is scaled to a rate, and dropped when it is too short to mean anything.
 */
function secondsOf(
  p: PointResult,
): Map<number, { rps: number; errors: number; endS: number; latencyHdr: string | undefined }> {
  const seconds = new Map<number, { rps: number; errors: number; endS: number; latencyHdr: string | undefined }>();
  for (const s of p.perSecond!) {
    const coveredS = Math.min(1, (p.durationMs - s.second * 1000) / 1000);
    if (coveredS < 0.1) continue;
    seconds.set(s.second, {
      rps: s.requests / coveredS,
      errors: s.errors / coveredS,
      endS: s.second + coveredS,
      // A second in which nothing completed has no histogram, and needs none.
      latencyHdr: s.latencyUs?.hdr ?? (s.requests === 0 ? EMPTY_HDR : undefined),
    });
  }
  return seconds;
}

const EMPTY_HDR = encodeHistogram(createLatencyHistogram());

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
