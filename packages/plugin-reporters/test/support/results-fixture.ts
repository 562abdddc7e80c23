/**
 * A realistic results file for reporter tests: three servers, a connections sweep of 8, 64 and 512,
 * three repeats each, real encoded histograms, per-second samples, one generator-bound point
 * (epoll at 512 connections, repeat 1), one failed point (basic at 512, repeat 2) and starvation
 * (basic at 64 and 512 connections serve a few connections only).
 */
import {
  createLatencyHistogram,
  encodeHistogram,
  type PerSecondSample,
  type PointResult,
  type ResultsFile,
  summariseHistogram,
  summarisePerConnection,
} from '@iobench/core';
import { makePoint, makeResults, makeServerStats } from '@iobench/core/testing';

export const SERVERS = ['basic', 'epoll', 'epoll-pool'];
export const CONNECTIONS = [8, 64, 512];
export const REPEATS = 3;
export const FAILED_ID = 'basic/undici/c512/r2';
export const GENERATOR_BOUND_ID = 'epoll/undici/c512/r1';
export const DURATION_MS = 3000;

/** Requests/s by server and connections, before the per-repeat wobble. */
const BASE_RPS: Record<string, Record<number, number>> = {
  basic: { 8: 9000, 64: 8000, 512: 3000 },
  epoll: { 8: 20000, 64: 26000, 512: 24000 },
  'epoll-pool': { 8: 12000, 64: 15000, 512: 14000 },
};

/** The rps a point of the fixture has: the base times 0.95, 1.00 or 1.10 by repeat. */
export function fixtureRps(server: string, connections: number, repeat: number): number {
  return BASE_RPS[server]![connections]! * [0.95, 1.0, 1.1][repeat]!;
}

/** Deterministic pseudo-random numbers (mulberry32), so that every run builds the same file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of a point's requests completed in each second of the measured phase. */
const SECOND_SHARES = [0.3, 0.33, 0.37];

/**
 * Latencies whose median is about `medianUs`, with a long tail (latency creeping up by 10% a
 * second), as `[µs, count]` pairs for the whole phase and a per-second series that adds up to it.
 */
function latencies(
  count: number,
  medianUs: number,
  seed: number,
): { pairs: Array<[number, number]>; perSecond: PerSecondSample[] } {
  const next = random(seed);
  const pairs: Array<[number, number]> = [];
  let left = count;
  const perSecond = SECOND_SHARES.map((share, second) => {
    const h = createLatencyHistogram();
    const n = second === SECOND_SHARES.length - 1 ? left : Math.round(count * share);
    left -= n;
    for (let i = 0; i < n; i++) {
      const u = next();
      const tail = u > 0.99 ? 8 : u > 0.9 ? 2.5 : 1;
      const v = Math.max(1, Math.round(medianUs * (0.5 + next()) * tail * (1 + 0.1 * second)));
      h.recordValue(v);
      pairs.push([v, 1]);
    }
    return { second, requests: n, errors: 0, latencyUs: summariseHistogram(encodeHistogram(h)) };
  });
  return { pairs, perSecond };
}

function point(server: string, connections: number, repeat: number, seq: number): PointResult {
  const base = {
    server,
    repeat,
    target: 'http://127.0.0.1:40000/',
    params: { connections, durationMs: DURATION_MS, timeoutMs: 10_000 },
    startedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq * 4)).toISOString(),
  };
  const id = `${server}/undici/c${connections}/r${repeat}`;
  if (id === FAILED_ID) {
    return makePoint({
      ...base,
      status: 'failed',
      error: { code: 'IOBENCH_SERVER_DIED', message: 'server "basic" exited with code 1', plugin: 'basic' },
      latencyUs: [],
      durationMs: 0,
    });
  }
  const rps = fixtureRps(server, connections, repeat);
  // Histograms are scaled down (a tenth of the requests) to keep the tests quick; counts stay consistent.
  const requests = Math.round((rps * DURATION_MS) / 1000 / 10);
  const { pairs, perSecond } = latencies(requests, (connections / rps) * 1e6, seq + 1);
  const generatorBound = id === GENERATOR_BOUND_ID;
  const perConnection =
    server === 'basic' && connections >= 64
      ? Array.from({ length: connections }, (_, i) => (i < 4 ? Math.floor(requests / 4) : 0))
      : undefined;
  const cpuUsPerRequest = { basic: 40, epoll: 25, 'epoll-pool': 60 }[server]! * (1 + repeat * 0.05);
  return makePoint({
    ...base,
    rps,
    bytes: requests * 120,
    latencyUs: pairs,
    errors: server === 'basic' && connections === 512 ? { reset: 3 } : {},
    ...(perConnection ? { perConnection: summarisePerConnection(perConnection) } : {}),
    perSecond,
    serverStats: makeServerStats({
      cpuUs: Math.round(cpuUsPerRequest * requests),
      userCpuUs: Math.round(cpuUsPerRequest * requests * 0.4),
      systemCpuUs: Math.round(cpuUsPerRequest * requests * 0.6),
      cpuUsPerRequest,
      voluntaryCtxSwitches: requests,
      involuntaryCtxSwitches: 10,
      ctxSwitches: requests + 10,
      ctxSwitchesPerRequest: 1,
      accepted: connections,
      requests,
      syscalls: { read: requests, write: requests, epoll_wait: Math.round(requests / 2) },
      syscallsPerRequest: { read: 1, write: 1, epoll_wait: 0.5 },
    }),
    loadStats: {
      cpuUs: requests * 30,
      cpuUsPerRequest: 30,
      generatorBound,
      ...(generatorBound ? { generatorBoundReason: 'the generator used 97% of its 1 core(s)' } : {}),
    },
  });
}

/** The fixture results file. */
export function buildResults(): ResultsFile {
  const points: PointResult[] = [];
  let seq = 0;
  for (const server of SERVERS)
    for (const c of CONNECTIONS) for (let r = 0; r < REPEATS; r++) points.push(point(server, c, r, seq++));
  return makeResults(points, {
    createdAt: '2025-01-01T12:00:00.000Z',
    finishedAt: '2025-01-01T12:02:00.000Z',
    env: { hostname: 'bench', gitCommit: '0123456789abcdef', tools: { wrk: 'wrk 4.1.0' }, fdLimit: 1024 },
  });
}
