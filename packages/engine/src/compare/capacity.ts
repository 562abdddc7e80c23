/**
 * Comparing two capacity runs (`--find-capacity`), search by search — same server, load, parameters,
 * SLO and probe duration: A's capacity against B's, judged by the one rule (change.ts) with the
 * refinement rounds' interval as the spread, and gated like a point's req/s; beside it the latency
 * at each knee. The probes are not compared point by point: each search chose its own rates from
 * its own earlier probes, so two runs' probes are evidence for two answers, not the same measurements.
 */
import type { CapacityResult, PointResult, RepeatSpread, ResultsFile } from '@iobench/core';
import { capacityBracketText, formatCount, ResultsMismatchError } from '@iobench/core';
import { measurementIdentity } from '../results/point-identity.js';
import { changeOf, type MetricChange, round } from './change.js';
import type { GatedChange, MatchedRuns } from './compare.js';

/** The latency at a knee: the passing probe nearest the capacity, and the rate it was measured at. */
export interface KneeLatency {
  rateRps: number;
  p50Us: number;
  p99Us: number;
}

/** One run's side of a search. */
export interface CapacitySide {
  outcome: CapacityResult['outcome'];
  /** The capacity (the rounds' median) with the rounds' lowest and highest estimate; `found` only. */
  capacity?: RepeatSpread;
  /** The answer in a few words: `1,390 (1,350–1,420)`, `above 5,000 (generator-bound)`, `between 1,460 and 1,710 req/s (interrupted)`. */
  answer: string;
  knee?: KneeLatency;
}

/** One search both runs made. */
export interface CapacityComparison {
  /** The search, as its probes name it: `epoll/native/c64`. */
  label: string;
  server: string;
  load: string;
  params: CapacityResult['params'];
  slo: string[];
  a: CapacitySide;
  b: CapacitySide;
  /** The capacity's change, when both searches found one. */
  capacity?: MetricChange;
  /**
   * Found in A, no rate met the SLO in B: B's capacity lies below its lowest probe, a drop of at
   * least `pct`; noise when that probe lies within A's interval.
   */
  lost?: { pct: number; noise: boolean };
}

/** True for the results of `run --find-capacity` (even one stopped before its first search ended). */
export function isCapacityRun(results: ResultsFile): boolean {
  return results.plan.findCapacity !== undefined;
}

/**
 * The searches of two capacity runs, matched and compared. `failIfSlowerPct` gates the capacity: a
 * drop beyond it outside the rounds' spread is a regression, as is a search that found a capacity in
 * A and none in B, unless B's lowest probe still lies within A's interval.
 */
export function compareCapacities(
  a: ResultsFile,
  b: ResultsFile,
  names: [string, string],
  failIfSlowerPct: number | undefined,
): MatchedRuns {
  const searchesA = searchesOf(a);
  const searchesB = searchesOf(b);
  const capacity: CapacityComparison[] = [];
  const notCompared: MatchedRuns['notCompared'] = [];
  const regressions: GatedChange[] = [];
  const withinNoise: GatedChange[] = [];
  let singleRepeat = false;
  for (const [key, ca] of searchesA) {
    const cb = searchesB.get(key);
    if (!cb) continue;
    const row: CapacityComparison = {
      label: ca.search,
      server: ca.server,
      load: ca.load,
      params: ca.params,
      slo: ca.slo,
      a: sideOf(ca, a),
      b: sideOf(cb, b),
    };
    capacity.push(row);
    if (row.a.capacity && row.b.capacity) {
      if (row.a.capacity.n === 1 || row.b.capacity.n === 1) singleRepeat = true;
      row.capacity = changeOf(row.a.capacity, row.b.capacity, true, failIfSlowerPct);
      const watched = { label: row.label, metric: 'capacity' as const, changePct: row.capacity.changePct ?? 0 };
      if (row.capacity.regression) regressions.push(watched);
      if (row.capacity.beyondThresholdInNoise) withinNoise.push(watched);
      continue;
    }
    const lowestB = lowestProbedRate(b, cb.search);
    if (row.a.capacity && cb.outcome === 'none' && lowestB !== undefined) {
      row.lost = {
        pct: round(((lowestB - row.a.capacity.median) / row.a.capacity.median) * 100),
        noise: lowestB > row.a.capacity.min,
      };
      const lost = {
        label: row.label,
        metric: 'capacity' as const,
        changePct: row.lost.pct,
        detail: `no rate met the SLO in ${names[1]}, down to ${formatCount(lowestB)} req/s`,
      };
      if (failIfSlowerPct !== undefined && -row.lost.pct > failIfSlowerPct)
        (row.lost.noise ? withinNoise : regressions).push(lost);
      continue;
    }
    notCompared.push({ label: row.label, reason: notComparedReason(ca, cb, names) });
  }
  const labels = (from: Map<string, CapacityResult>, other: Map<string, CapacityResult>) =>
    [...from].filter(([key]) => !other.has(key)).map(([, c]) => c.search);
  return {
    points: [],
    capacity,
    onlyInA: labels(searchesA, searchesB),
    onlyInB: labels(searchesB, searchesA),
    notCompared,
    regressions,
    withinNoise,
    singleRepeat,
  };
}

/**
 * The error for a capacity run compared with a run of points: what each holds, and what each can be
 * compared with instead.
 */
export function mixedRunsError(a: ResultsFile, b: ResultsFile, names: [string, string]): ResultsMismatchError {
  const [capacityName, pointsName] = isCapacityRun(a) ? names : [names[1], names[0]];
  const capacityRun = isCapacityRun(a) ? a : b;
  const answers = (capacityRun.capacity ?? []).map((c) => c.summary);
  const found = answers.length ? ` In ${capacityName}: ${answers.join('; ')}.` : '';
  return new ResultsMismatchError(
    `${capacityName} holds capacity searches (--find-capacity), ${pointsName} points measured at a set load. A capacity (the highest offered rate that met the SLO) and a point's req/s are different measurements: neither is compared with the other, nor are the searches' probes (each at a rate its search chose) with the points.${found}`,
    {
      suggestions: [
        `compare ${capacityName} with another --find-capacity run of the same plan and SLO`,
        `compare ${pointsName} with another run of the same points`,
      ],
    },
  );
}

/**
 * A run's searches by what makes two searches the same question: server, load, the parameters
 * every probe shares (at the probe duration, the run's own duration unused), and the SLO.
 */
function searchesOf(results: ResultsFile): Map<string, CapacityResult> {
  const probeDurationMs = results.plan.findCapacity?.probeDurationMs;
  const key = (c: CapacityResult) =>
    JSON.stringify([
      measurementIdentity({
        server: c.server,
        load: c.load,
        params: { ...c.params, durationMs: probeDurationMs ?? 0 },
      }),
      [...c.slo].sort(),
    ]);
  return new Map((results.capacity ?? []).map((c) => [key(c), c]));
}

function sideOf(c: CapacityResult, results: ResultsFile): CapacitySide {
  const found = c.outcome === 'found' && c.rate !== undefined;
  const capacity = found
    ? { median: c.rate!, min: c.low ?? c.rate!, max: c.high ?? c.rate!, n: Math.max(1, c.estimates.length) }
    : undefined;
  const knee = capacity ? kneeLatency(results, c.search, capacity.median) : undefined;
  const answer = answerOf(c, lowestProbedRate(results, c.search));
  return { outcome: c.outcome, ...(capacity ? { capacity } : {}), answer, ...(knee ? { knee } : {}) };
}

/** A side's answer in a few words, for the table; `lowestRps`: the lowest rate the search probed. */
function answerOf(c: CapacityResult, lowestRps: number | undefined): string {
  const rate = c.rate === undefined ? '?' : formatCount(c.rate);
  switch (c.outcome) {
    case 'found':
      return c.low !== undefined && c.high !== undefined && c.low !== c.high
        ? `${rate} (${formatCount(c.low)}–${formatCount(c.high)})`
        : rate;
    case 'generator-bound':
      return `above ${rate} (generator-bound)`;
    case 'none':
      return lowestRps === undefined ? 'none met the SLO' : `none met the SLO, down to ${formatCount(lowestRps)}`;
    case 'interrupted':
      return `${capacityBracketText(c.bracket) ?? 'nothing judged'} (interrupted)`;
    case 'failed':
      return 'search failed';
  }
}

/** Why a search both runs made has no two capacities to compare. */
function notComparedReason(a: CapacityResult, b: CapacityResult, names: [string, string]): string {
  const why = (c: CapacityResult, name: string) => {
    switch (c.outcome) {
      case 'generator-bound':
        return `the generator saturated in ${name} before the SLO broke, so its capacity is only known to be above ${formatCount(c.rate ?? 0)} req/s`;
      case 'none':
        return `no rate met the SLO in ${name}`;
      case 'interrupted':
        return `the search was interrupted in ${name}`;
      case 'failed':
        return `the search failed in ${name}`;
      default:
        return undefined;
    }
  };
  return [why(a, names[0]), why(b, names[1])].filter(Boolean).join('; ');
}

/**
 * The latency at a knee: of the search's passing probes, the one nearest the capacity (on a tie the
 * higher rate, then the later probe) — measured, unlike the capacity itself, at one rate.
 */
function kneeLatency(results: ResultsFile, search: string, capacityRps: number): KneeLatency | undefined {
  let best: PointResult | undefined;
  for (const p of probesOf(results, search)) {
    if (!p.capacityProbe!.pass || p.status !== 'ok') continue;
    const distance = Math.abs(p.params.rate! - capacityRps);
    const bestDistance = best ? Math.abs(best.params.rate! - capacityRps) : Infinity;
    if (distance < bestDistance || (distance === bestDistance && p.params.rate! >= best!.params.rate!)) best = p;
  }
  return best && { rateRps: best.params.rate!, p50Us: best.latencyUs.p50, p99Us: best.latencyUs.p99 };
}

/** The lowest open-model rate a search probed. */
function lowestProbedRate(results: ResultsFile, search: string): number | undefined {
  const rates = probesOf(results, search).map((p) => p.params.rate!);
  return rates.length ? Math.min(...rates) : undefined;
}

/** A search's open-model probes (the saturation probe has no rate). */
function probesOf(results: ResultsFile, search: string): PointResult[] {
  return results.points.filter((p) => p.capacityProbe?.search === search && p.params.rate !== undefined);
}
