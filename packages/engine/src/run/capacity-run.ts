/**
 * `--find-capacity`: for every planned point (a server or target under one load and parameter set),
 * a capacity search (capacity-search.ts) whose probes are measured like any point — each on a fresh
 * server, warmed up, for `probeDuration` — written to results.json as they finish and announced to
 * reporters, then judged against the SLOs. What each search found goes into `results.capacity`.
 */

import type { CapacityProbe, CapacityResult, PointParams, PointResult, Threshold } from '@iobench/core';
import { capacityBracketText, evaluateThresholds, formatCount, formatThresholdValue } from '@iobench/core';
import { CapacitySearch, type ProbeRequest } from './capacity-search.js';
import { type MeasurePointInput, measurePoint } from './measure-point.js';
import type { PreparedPoint } from './preflight.js';

/** Measures one probe: the point as prepared, with the probe's id and parameters. */
export type ProbeRunner = (point: PreparedPoint, index: number) => Promise<PointResult>;

/** Hands a finished probe to the results file and the reporters. */
export type ProbeSink = (point: PointResult) => Promise<void>;

export interface CapacityRunInput {
  points: PreparedPoint[];
  slo: readonly Threshold[];
  probeDurationMs: number;
  rounds: number;
  measure: ProbeRunner;
  emit: ProbeSink;
}

/**
 * Runs a search per point, in plan order. An interrupted probe ends its search (`interrupted`, with
 * the bracket it had) and the run's: the searches after it are not started, and not listed.
 */
export async function measureCapacities(input: CapacityRunInput): Promise<CapacityResult[]> {
  const found: CapacityResult[] = [];
  for (const [index, point] of input.points.entries()) {
    const result = await searchOne(input, point, index);
    found.push(result);
    if (result.outcome === 'interrupted') break;
  }
  return found;
}

/** The measurePoint call a run makes for a probe, with the run's own context. */
export function probeRunner(base: Omit<MeasurePointInput, 'point' | 'index'>): ProbeRunner {
  return (point, index) => measurePoint({ ...base, point, index });
}

async function searchOne(input: CapacityRunInput, point: PreparedPoint, index: number): Promise<CapacityResult> {
  const search = point.id.replace(/\/r\d+$/, '');
  const slo = input.slo.map((t) => t.text);
  /** Probes measured and kept; an interrupted one is neither (a part of a probe cannot be judged against the SLO). */
  let probes = 0;
  /** The lowest rate probed and why it missed, for a search that found no passing rate. */
  let lowest: { rate: number; reason?: string } | undefined;
  const probe = async (rate: number | undefined, phase: CapacityProbe['phase'], round?: number) => {
    const params = probeParams(point.params, input.probeDurationMs, rate);
    const id = `${search}/${rate === undefined ? 'closed' : `rate${rate}`}/p${probes}`;
    const measured = await input.measure({ ...point, id, params, repeat: 0 }, index);
    if (measured.status === 'interrupted') return { point: measured, interrupted: true };
    probes++;
    const judged = judgeProbe(measured, input.slo);
    const finished: PointResult = {
      ...measured,
      capacityProbe: {
        search,
        phase,
        ...(round !== undefined ? { round } : {}),
        pass: judged.pass && !measured.loadStats.generatorBound,
        ...(judged.reason ? { reason: judged.reason } : {}),
      },
    };
    if (rate !== undefined && (lowest === undefined || rate < lowest.rate)) lowest = { rate, reason: judged.reason };
    await input.emit(finished);
    return { point: finished, interrupted: false, pass: judged.pass };
  };
  const result = (outcome: CapacityResult['outcome'], rest: Partial<CapacityResult> = {}): CapacityResult => {
    const whole = {
      search,
      server: point.server ?? point.anchor?.name ?? 'target',
      ...(point.anchor ? { anchor: true } : {}),
      load: point.load,
      params: point.params,
      slo,
      outcome,
      estimates: [],
      probes,
      ...rest,
    };
    return { ...whole, summary: capacitySummary(whole, lowest) };
  };

  const closed = await probe(undefined, 'saturation');
  if (closed.interrupted) return result('interrupted');
  if (closed.point.status !== 'ok') return result('failed');
  const saturationRps = closed.point.rps;
  const searcher = new CapacitySearch(saturationRps, input.rounds);
  for (let next: ProbeRequest | undefined = searcher.next(); next; next = searcher.next()) {
    const outcome = await probe(next.rate, next.phase, next.round);
    if (outcome.interrupted) {
      const { bracket, estimates } = searcher.progress();
      return result('interrupted', { saturationRps, bracket, estimates });
    }
    searcher.record({
      rate: next.rate,
      pass: outcome.pass === true,
      generatorBound: outcome.point.loadStats.generatorBound,
    });
  }
  const { outcome, ...found } = searcher.result();
  return result(outcome, { ...found, saturationRps });
}

/**
 * A probe's parameters: the point's, measured for `probeDurationMs`, open model at `rate` — or, for
 * the saturation probe, closed model (the open-model settings removed).
 */
function probeParams(params: PointParams, probeDurationMs: number, rate: number | undefined): PointParams {
  const { rate: _rate, arrivals, seed, stages: _stages, ...closed } = params;
  if (rate === undefined) return { ...closed, durationMs: probeDurationMs };
  return {
    ...closed,
    durationMs: probeDurationMs,
    rate,
    ...(arrivals ? { arrivals } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}

/**
 * A probe passes when it measured, met every SLO and kept its schedule; the reason says what missed
 * (`p99 6.21ms (p99<5ms)`, `overloaded: 3% of sends went out over 1ms late`, 2ms for undici). Generator saturation is
 * told apart by the caller: a probe can pass the SLO while the generator, not the server, was bound.
 */
export function judgeProbe(point: PointResult, slo: readonly Threshold[]): { pass: boolean; reason?: string } {
  if (point.status !== 'ok') return { pass: false, reason: point.error?.message ?? point.status };
  const reasons = evaluateThresholds(point, slo)
    .filter((check) => !check.pass)
    .map((check) => `${check.threshold} was ${formatThresholdValue(check)}`);
  if (point.schedule?.overloaded) reasons.push(`overloaded: ${point.schedule.overloadReason}`);
  if (point.loadStats.generatorBound) reasons.push('generator-bound');
  const pass = reasons.length === 0 || (reasons.length === 1 && point.loadStats.generatorBound);
  return reasons.length ? { pass, reason: reasons.join('; ') } : { pass };
}

/**
 * The answer in words, as the console prints it:
 * `epoll: 41,800 req/s at p99<1ms (40,900–42,500, 3 rounds)`.
 */
export function capacitySummary(
  r: Omit<CapacityResult, 'summary'>,
  lowest?: { rate: number; reason?: string },
): string {
  const slo = r.slo.join(', ');
  const name = r.search;
  switch (r.outcome) {
    case 'found': {
      const rounds = r.estimates.length;
      const interval =
        r.low !== undefined && r.high !== undefined
          ? ` (${formatCount(r.low)}–${formatCount(r.high)}, ${rounds} round${rounds === 1 ? '' : 's'})`
          : '';
      return `${name}: ${formatCount(r.rate!)} req/s at ${slo}${interval}`;
    }
    case 'generator-bound':
      return `${name}: capacity above ${formatCount(r.rate!)} req/s at ${slo} (the generator saturated at ${formatCount(r.rate!)}; add generator threads)`;
    case 'none': {
      // When even the lowest rate was overloaded, the generator itself could not keep time: say so.
      const why = lowest?.reason ? `; at ${formatCount(lowest.rate)} req/s: ${lowest.reason}` : '';
      return `${name}: no rate met ${slo} (probed down to ${formatCount(lowest?.rate ?? 0)} req/s, 1/64 of the closed-model ${formatCount(r.saturationRps ?? 0)} req/s${why})`;
    }
    case 'failed':
      return `${name}: the search failed: its closed-model probe measured nothing`;
    case 'interrupted': {
      // What the probes so far established is worth saying: the search is a bracket that narrows.
      const bracket = capacityBracketText(r.bracket);
      const rounds = r.estimates.length
        ? `; refinement rounds finished: ${r.estimates.map(formatCount).join(', ')}`
        : '';
      const probes = `search interrupted after ${r.probes} probe(s)`;
      return bracket
        ? `${name}: capacity ${bracket} at ${slo}, ${probes}${rounds}`
        : `${name}: ${probes}, before any rate was judged`;
    }
  }
}
