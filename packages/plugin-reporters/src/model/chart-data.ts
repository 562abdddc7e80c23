/**
 * Rows for the charts, derived from the report model: one row per aggregated point for the
 * sweep charts, a percentile spectrum per series, and requests per second over time.
 */
import { decodeHistogram, type PointResult } from '@iobench/core';
import { type Range, rangeOf } from './range.js';
import { type AggregatedPoint, paramLabel, type ReportModel } from './sweep-model.js';

/** Legend value of generator-bound points, and of the others. */
export const GENERATOR_BOUND = 'generator-bound';
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
  /** `generator-bound` when any repeat was. */
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
  /** `generator-bound` when any repeat of the point was. */
  bound: string;
}

/** Requests completed in one second, median across repeats. */
export interface TimeRow {
  server: string;
  panel: string;
  /** Seconds since the start of the measured phase, at the end of the second sampled (1, 2, ...). */
  elapsedS: number;
  rps: number;
  errors: number;
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
 * 1/(1-p) up to the last percentile the sample size supports, then the maximum.
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
      for (let step = 0; step / SPECTRUM_STEPS_PER_DECADE < top; step++) {
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

/** Requests per second over the measured phase, median across repeats per second. */
export function timeRows(model: ReportModel): TimeRow[] {
  const rows: TimeRow[] = [];
  for (const group of model.groups) {
    for (const a of group.rows) {
      const series = a.ok.filter((p) => p.perSecond && p.perSecond.length > 0).map(perSecondRates);
      if (series.length === 0) continue;
      const panel = panelTitle(model, group.title, a);
      const seconds = Math.max(...series.map((s) => s.length));
      for (let second = 0; second < seconds; second++) {
        const rps = rangeOf(series.flatMap((s) => (s[second] ? [s[second]!.rps] : [])));
        const errors = rangeOf(series.flatMap((s) => (s[second] ? [s[second]!.errors] : [])));
        if (rps)
          rows.push({
            server: a.server,
            panel,
            elapsedS: second + 1,
            rps: round(rps.median),
            errors: round((errors as Range).median),
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

function boundOf(a: AggregatedPoint): string {
  return a.generatorBoundRepeats > 0 ? GENERATOR_BOUND : MEASURED;
}

function panelTitle(model: ReportModel, groupTitle: string, a: AggregatedPoint): string {
  const value = model.x && a.x !== undefined ? `${paramLabel(model.x.key)} ${a.x}` : '';
  return [groupTitle, value].filter(Boolean).join(', ') || 'all points';
}

/**
 * Per-second rates of one repeat. The last sample covers only the rest of the measured phase, so
 * it is scaled to a rate, and dropped when it is too short to mean anything.
 */
function perSecondRates(p: PointResult): Array<{ rps: number; errors: number }> {
  const samples = [...p.perSecond!].sort((a, b) => a.second - b.second);
  return samples.flatMap((s) => {
    const coveredS = Math.min(1, (p.durationMs - s.second * 1000) / 1000);
    if (coveredS < 0.1) return [];
    return [{ rps: s.requests / coveredS, errors: s.errors / coveredS }];
  });
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
