/**
 * Open-model results for reporter tests, from one queueing model: a server of capacity `mu` req/s
 * offered `rate` req/s waits like M/D/1 (mean wait S·ρ/2(1-ρ), S = 1/mu), with an exponential tail;
 * past ρ = 1 the generator cannot keep the schedule (late and, further on, dropped sends) and the
 * point is overloaded by core's own verdict.
 * - `buildCapacityResults`: a capacity search per server at p99<1ms — epoll (found), epoll-pool
 *   (found), node (generator-bound: the generator saturates at 30,000 req/s) — with a closed-model
 *   saturation probe, search probes and three refinement rounds each.
 * - `buildStagedResults`: `--stages 2s:5000,4s:40000` on epoll and epoll-pool, a sample per second.
 * - `buildRateSweepResults`: `--rate 5000,10000,20000,40000` on epoll and epoll-pool.
 */
import {
  type CapacityResult,
  createLatencyHistogram,
  encodeHistogram,
  type LatencySummary,
  overloadVerdict,
  type PerSecondSample,
  type PointResult,
  type RateStage,
  type ResultsFile,
  summariseHistogram,
} from '@iobench/core';
import { makePoint, makeResults } from '@iobench/core/testing';

/** Capacity (req/s) of each server in the model. */
export const CAPACITY_RPS: Record<string, number> = { epoll: 45_000, 'epoll-pool': 16_000, node: 60_000 };
/** Where the generator of the capacity fixture saturates. */
export const GENERATOR_CEILING_RPS = 30_000;
export const SLO = 'p99<1ms';
const BASE_US = 80;
const QUANTILES = 200;

/** `[µs, count]` pairs of `requests` latencies at load ρ of a server of capacity `mu`, growing with `second` past ρ = 1. */
function latencyPairs(mu: number, rate: number, requests: number, second = 0): Array<[number, number]> {
  const rho = rate / mu;
  const serviceUs = 1e6 / mu;
  // Past saturation the queue grows for as long as the load lasts: 20 ms a second, more the further past.
  const waitUs = rho < 0.99 ? (serviceUs * rho) / (2 * (1 - rho)) : 20_000 * rho * (second + 1);
  const count = Math.max(1, Math.round(requests / QUANTILES));
  return Array.from({ length: QUANTILES }, (_, i) => {
    const q = (i + 0.5) / QUANTILES;
    return [Math.round(BASE_US + serviceUs + waitUs * -Math.log(1 - q)), count] as [number, number];
  });
}

function summary(pairs: ReadonlyArray<readonly [number, number]>): LatencySummary {
  const h = createLatencyHistogram();
  for (const [us, n] of pairs) h.recordValueWithCount(us, n);
  return summariseHistogram(encodeHistogram(h));
}

/** The schedule of a point offered `offered` sends at `rate` req/s over `durationMs`, `requests` of them completed. */
function schedule(mu: number, rate: number, offered: number, requests: number, durationMs: number) {
  const rho = rate / mu;
  const evidence = {
    targetRate: rate,
    achievedRate: requests / (durationMs / 1000),
    offered,
    lateSends: rho > 0.99 ? Math.round(offered * 0.2) : Math.round(offered * 0.001),
    droppedSends: rho > 1.15 ? Math.round(offered * 0.05) : 0,
  };
  const lagUs = rho > 0.99 ? 20_000 : 30;
  return { ...evidence, sendLagUs: summary([[lagUs, Math.max(1, offered)]]), ...overloadVerdict(evidence) };
}

interface ProbeSpec {
  server: string;
  phase: 'saturation' | 'search' | 'repeat';
  rate?: number;
  round?: number;
  seq: number;
}

function probe({ server, phase, rate, round, seq }: ProbeSpec): PointResult {
  const mu = CAPACITY_RPS[server]!;
  const durationMs = 1000;
  const search = `${server}/native/c64`;
  const params = { connections: 64, durationMs, ...(rate ? { rate, arrivals: 'poisson' as const, seed: 1 } : {}) };
  const common = {
    server,
    load: 'native',
    durationMs,
    startedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
  };
  if (!rate) {
    const requests = Math.round((server === 'node' ? GENERATOR_CEILING_RPS * 1.1 : mu) * 0.98);
    return {
      ...makePoint({ ...common, params, latencyUs: latencyPairs(mu, mu * 0.98, requests) }),
      id: `${search}/saturation`,
      capacityProbe: { search, phase, pass: false, reason: 'closed model: the ceiling the search starts from' },
    };
  }
  const generatorBound = server === 'node' && rate > GENERATOR_CEILING_RPS;
  const achieved = Math.min(rate, mu * 0.98, generatorBound ? GENERATOR_CEILING_RPS : Number.POSITIVE_INFINITY);
  const pairs = latencyPairs(mu, rate, achieved);
  const point = makePoint({
    ...common,
    params,
    latencyUs: pairs,
    schedule: schedule(mu, rate, rate, achieved, durationMs),
    loadStats: {
      cpuUs: achieved * 10,
      cpuUsPerRequest: 10,
      generatorBound,
      ...(generatorBound ? { generatorBoundReason: 'the generator used 97% of its 1 core(s)' } : {}),
    },
  });
  const p99Ok = point.latencyUs.p99 < 1000;
  const pass = p99Ok && !point.schedule!.overloaded && !generatorBound;
  const reason = generatorBound
    ? 'the generator was the bottleneck'
    : point.schedule!.overloaded
      ? `overloaded: ${point.schedule!.overloadReason}`
      : p99Ok
        ? undefined
        : `p99 was ${(point.latencyUs.p99 / 1000).toFixed(2)}ms`;
  const tag = phase === 'repeat' ? `round${round}` : 'search';
  return {
    ...point,
    id: `${search}/${tag}/rate${rate}`,
    capacityProbe: { search, phase, ...(round !== undefined ? { round } : {}), pass, ...(reason ? { reason } : {}) },
  };
}

/** Capacity searches on epoll (found), epoll-pool (found) and node (generator-bound). */
export function buildCapacityResults(): ResultsFile {
  const points: PointResult[] = [];
  const capacity: CapacityResult[] = [];
  let seq = 0;
  for (const server of Object.keys(CAPACITY_RPS)) {
    const mu = CAPACITY_RPS[server]!;
    const first = points.length;
    points.push(probe({ server, phase: 'saturation', seq: seq++ }));
    for (const share of [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.05, 1.2])
      points.push(probe({ server, phase: 'search', rate: Math.round(mu * share), seq: seq++ }));
    const estimates: number[] = [];
    if (server !== 'node') {
      for (const [round, share] of [0.91, 0.93, 0.945].entries()) {
        const rate = Math.round((mu * share) / 100) * 100;
        points.push(probe({ server, phase: 'repeat', round, rate, seq: seq++ }));
        points.push(probe({ server, phase: 'repeat', round, rate: rate + 1000, seq: seq++ }));
        estimates.push(rate);
      }
    }
    const probes = points.length - first;
    const saturationRps = Math.round(points[first]!.rps);
    const common = {
      search: `${server}/native/c64`,
      server,
      load: 'native',
      params: { ...points[first]!.params, arrivals: 'poisson' as const, seed: 1 },
      slo: [SLO],
      estimates,
      saturationRps,
      probes,
    };
    if (server === 'node') {
      capacity.push({
        ...common,
        outcome: 'generator-bound',
        rate: GENERATOR_CEILING_RPS,
        summary: `above ${GENERATOR_CEILING_RPS} req/s at ${SLO} (generator-bound)`,
      });
    } else {
      const sorted = [...estimates].sort((a, b) => a - b);
      const rate = sorted[1]!;
      capacity.push({
        ...common,
        outcome: 'found',
        rate,
        low: sorted[0]!,
        high: sorted[2]!,
        summary: `${rate} req/s at ${SLO} (${sorted[0]}–${sorted[2]}, 3 rounds)`,
      });
    }
  }
  return makeResults(points, {
    plan: {
      arrivals: 'poisson',
      seed: 1,
      findCapacity: { slo: [SLO], probeDurationMs: 1000, rounds: 3 },
      loads: ['native'],
    },
    capacity,
  });
}

export const STAGES: RateStage[] = [
  { durationMs: 2000, rate: 5000 },
  { durationMs: 4000, rate: 40_000 },
];
export const STAGED_CAPACITY_RPS: Record<string, number> = { epoll: 30_000, 'epoll-pool': 14_000 };

/** The mean rate offered in second `s` of a linear ramp through `stages` (from 0). */
function offeredInSecond(stages: RateStage[], s: number): number {
  const steps = 100;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += rateAt(stages, (s + (i + 0.5) / steps) * 1000);
  return sum / steps;
}

function rateAt(stages: RateStage[], ms: number): number {
  let from = 0;
  let start = 0;
  for (const stage of stages) {
    if (ms < start + stage.durationMs) return from + ((stage.rate - from) * (ms - start)) / stage.durationMs;
    from = stage.rate;
    start += stage.durationMs;
  }
  return from;
}

/** `--stages 2s:5000,4s:40000 --arrivals poisson` on epoll and epoll-pool: a second per sample. */
export function buildStagedResults(): ResultsFile {
  const durationMs = STAGES.reduce((t, s) => t + s.durationMs, 0);
  const points = Object.entries(STAGED_CAPACITY_RPS).map(([server, mu]) => {
    const all: Array<[number, number]> = [];
    const perSecond: PerSecondSample[] = Array.from({ length: durationMs / 1000 }, (_, second) => {
      const offered = Math.round(offeredInSecond(STAGES, second));
      const requests = Math.round(Math.min(offered, mu * 0.98 * (offered > mu ? 0.85 : 1)));
      const pairs = latencyPairs(mu, offered, requests, Math.max(0, second - 3));
      all.push(...pairs);
      // Past capacity the generator's connections fill up: a fifth of the sends go out late.
      const late = offered > mu ? Math.round(offered * 0.2) : 0;
      return { second, requests, errors: 0, offered, late, latencyUs: summary(pairs) };
    });
    const offered = perSecond.reduce((t, s) => t + s.offered!, 0);
    const requests = perSecond.reduce((t, s) => t + s.requests, 0);
    return makePoint({
      server,
      load: 'native',
      params: { connections: 64, durationMs, rate: 40_000, arrivals: 'poisson', seed: 7, stages: STAGES },
      latencyUs: all,
      requests,
      perSecond,
      schedule: schedule(mu, 40_000, offered, requests, durationMs),
    });
  });
  return makeResults(points, {
    plan: { rate: [40_000], stages: STAGES, arrivals: 'poisson', seed: 7, loads: ['native'] },
  });
}

export const SWEPT_RATES = [5000, 10_000, 20_000, 40_000];

/** `--rate 5000,10000,20000,40000` on epoll and epoll-pool, one repeat each. */
export function buildRateSweepResults(): ResultsFile {
  const points = Object.entries(STAGED_CAPACITY_RPS).flatMap(([server, mu]) =>
    SWEPT_RATES.map((rate) => {
      const requests = Math.round(Math.min(rate, mu * 0.98));
      const point = makePoint({
        server,
        load: 'native',
        params: { connections: 64, durationMs: 1000, rate, arrivals: 'uniform' },
        latencyUs: latencyPairs(mu, rate, requests),
        schedule: schedule(mu, rate, rate, requests, 1000),
      });
      return { ...point, id: `${server}/native/c64/rate${rate}/r0` };
    }),
  );
  return makeResults(points, {
    plan: { rate: SWEPT_RATES, arrivals: 'uniform', loads: ['native'], sweep: [{ key: 'rate', values: SWEPT_RATES }] },
  });
}
