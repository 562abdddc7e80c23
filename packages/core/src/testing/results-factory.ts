/**
 * Results built by hand for tests of what reads them (reporters, compare, merge, `iobench report`):
 * `makePoint` fills a valid point from what a test cares about, `makeResults` wraps points in a valid
 * results file whose plan is derived from them, `makeCapacityResults` makes the file of one capacity
 * search. Everything else has a fixed, plausible value, so files built twice are equal.
 */
import { createLatencyHistogram, encodeHistogram, histogramCount, summariseHistogram } from '../histogram/index.js';
import { emptyErrors } from '../results/counts.js';
import {
  type CapacityResult,
  type ErrorCounts,
  type PointParams,
  type PointResult,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  type RunEnvironment,
  type RunPlan,
  type ServerPointStats,
  type SweepDimension,
} from '../results/model.js';
import { starvationVerdict } from '../results/verdicts.js';

/** When every hand-built result was measured. */
export const FIXTURE_TIME = '2026-01-01T00:00:00.000Z';

/** What a test says about a point; the rest is filled in. */
export interface PointSpec extends Partial<Omit<PointResult, 'params' | 'errors' | 'latencyUs'>> {
  /** Merged over connections 8, 1 s, no warm-up, 1 thread, no pipelining, 5 s timeout, no idle connections. */
  params?: Partial<PointParams>;
  /** Merged over zero counts. */
  errors?: Partial<ErrorCounts>;
  /**
   * The requests' latencies, as `[microseconds, count]` pairs recorded into the point's histogram
   * (default: 100 requests at 250 µs). `requests` defaults to their count and `rps` to that per second.
   */
  latencyUs?: ReadonlyArray<readonly [us: number, count: number]>;
}

/**
 * A valid point: `${server}/${load}/c${connections}/r${repeat}` of `epoll` under `undici` unless said
 * otherwise. A member given as `undefined` counts as not said. Its `starvation` verdict is judged
 * from `perConnection` and `serverStats.acceptedFirstHalf`, as a run would.
 */
export function makePoint(spec: PointSpec = {}): PointResult {
  spec = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
  const { params: paramsSpec, errors, latencyUs = [[250, 100]], ...rest } = spec;
  const params: PointParams = {
    connections: 8,
    durationMs: 1000,
    warmupMs: 0,
    threads: 1,
    pipelining: 1,
    timeoutMs: 5000,
    idleConnections: 0,
    ...paramsSpec,
  };
  const histogram = createLatencyHistogram();
  for (const [us, count] of latencyUs) histogram.recordValueWithCount(us, count);
  const hdr = encodeHistogram(histogram);
  const server = spec.server ?? 'epoll';
  const load = spec.load ?? 'undici';
  const repeat = spec.repeat ?? 0;
  const requests = spec.requests ?? histogramCount(hdr);
  const durationMs = spec.durationMs ?? params.durationMs;
  const point: PointResult = {
    id: `${server}/${load}/c${params.connections}/r${repeat}`,
    server,
    load,
    target: 'http://127.0.0.1:8080/',
    params,
    repeat,
    serverOptions: {},
    loadOptions: {},
    status: 'ok',
    requests,
    bytes: requests * 100,
    durationMs,
    rps: durationMs > 0 ? requests / (durationMs / 1000) : 0,
    errors: { ...emptyErrors(), ...errors },
    latencyUs: summariseHistogram(hdr),
    loadStats: { cpuUs: 0, cpuUsPerRequest: 0, generatorBound: false },
    startedAt: FIXTURE_TIME,
    ...rest,
  };
  // Judged as a run judges it, unless the test says otherwise.
  const starvation = spec.starvation ?? starvationVerdict(point);
  return starvation ? { ...point, starvation } : point;
}

/** A server's point stats with zero counts, except what `spec` says. */
export function makeServerStats(spec: Partial<ServerPointStats> = {}): ServerPointStats {
  return {
    cpuUs: 0,
    userCpuUs: 0,
    systemCpuUs: 0,
    cpuUsPerRequest: 0,
    voluntaryCtxSwitches: 0,
    involuntaryCtxSwitches: 0,
    ctxSwitches: 0,
    ctxSwitchesPerRequest: 0,
    accepted: 0,
    refused: 0,
    requests: 0,
    errors: {},
    ...spec,
  };
}

/** What a test says about a results file; the rest is filled in. */
export interface ResultsSpec extends Partial<Omit<ResultsFile, 'env' | 'plan' | 'points'>> {
  /** Merged over a 2-CPU Linux host named `test-host`. */
  env?: Partial<RunEnvironment>;
  /** Merged over the plan the points imply (servers, load, the values of each parameter, repeats). */
  plan?: Partial<RunPlan>;
}

/** A valid, complete results file holding `points`. */
export function makeResults(points: PointResult[], spec: ResultsSpec = {}): ResultsFile {
  const { env, plan, ...rest } = spec;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: FIXTURE_TIME,
    status: 'complete',
    env: {
      hostname: 'test-host',
      platform: 'linux',
      arch: 'x64',
      kernel: '6.1.0',
      cpuModel: 'Test CPU @ 2.0GHz',
      cpuCount: 2,
      memoryBytes: 8 * 2 ** 30,
      node: 'v20.19.0',
      iobench: '0.1.0',
      tools: {},
      pinning: {},
      ...env,
    },
    plan: { ...planOf(points), ...plan },
    points,
    ...rest,
  };
}

/** What a test says about a capacity search (`--find-capacity`) of epoll under undici at 8 connections. */
export interface CapacitySearchSpec {
  outcome?: CapacityResult['outcome'];
  /** The refinement rounds' estimates: a found capacity is their median, its interval their range. */
  estimates?: number[];
  /** The rate of an outcome other than `found` (where the generator saturated). */
  rate?: number;
  bracket?: CapacityResult['bracket'];
  /** Each open-model probe: its rate, its verdict, and its p99 (p50 is 200 µs). */
  probes: Array<{ rate: number; pass: boolean; p99Us?: number }>;
  /** Default `p99<20ms`. */
  slo?: string[];
  /** The seed of the Poisson arrivals (default 1). */
  seed?: number;
  /** Default 300. */
  probeDurationMs?: number;
}

/** A valid, complete results file of one capacity search: its probes as points, its answer in `capacity`. */
export function makeCapacityResults(spec: CapacitySearchSpec): ResultsFile {
  const search = 'epoll/undici/c8';
  const { estimates = [], slo = ['p99<20ms'], seed = 1, probeDurationMs = 300 } = spec;
  const outcome = spec.outcome ?? 'found';
  const sorted = [...estimates].sort((a, b) => a - b);
  const points = spec.probes.map(({ rate, pass, p99Us = 2000 }, i) =>
    makePoint({
      id: `${search}/rate${rate}/p${i}`,
      params: { connections: 8, durationMs: probeDurationMs, rate, arrivals: 'poisson', seed },
      latencyUs: [
        [200, 98],
        [p99Us, 2],
      ],
      capacityProbe: { search, phase: 'search', pass },
    }),
  );
  const found =
    outcome === 'found' && sorted.length > 0
      ? { rate: sorted[Math.floor((sorted.length - 1) / 2)]!, low: sorted[0]!, high: sorted.at(-1)! }
      : {};
  const capacity: CapacityResult = {
    search,
    server: 'epoll',
    load: 'undici',
    // The run's point, as planned: every probe's parameters but the rate (and the probe duration).
    params: makePoint({ params: { connections: 8, arrivals: 'poisson', seed } }).params,
    slo,
    outcome,
    estimates,
    probes: points.length,
    ...found,
    ...(spec.rate !== undefined ? { rate: spec.rate } : {}),
    ...(spec.bracket ? { bracket: spec.bracket } : {}),
    summary: `${search}: ${outcome}`,
  };
  return makeResults(points, {
    plan: { findCapacity: { slo, probeDurationMs, rounds: Math.max(1, estimates.length) }, arrivals: 'poisson', seed },
    capacity: [capacity],
  });
}

/** The plan that would have produced `points`: each parameter's values, swept where there are several. */
function planOf(points: PointResult[]): RunPlan {
  const values = <T>(pick: (p: PointResult) => T): T[] => [...new Set(points.map(pick))];
  const numbers = (pick: (p: PointResult) => number) => values(pick).sort((a, b) => a - b);
  const first = points[0]?.params;
  const connections = numbers((p) => p.params.connections);
  const threads = numbers((p) => p.params.threads);
  const idleConnections = numbers((p) => p.params.idleConnections);
  const sweep: SweepDimension[] = (
    [
      ['connections', connections],
      ['threads', threads],
      ['idleConnections', idleConnections],
    ] as const
  )
    .filter(([, v]) => v.length > 1)
    .map(([key, v]) => ({ key, values: v }));
  return {
    servers: values((p) => p.server),
    loads: points.length > 0 ? values((p) => p.load) : ['undici'],
    connections: connections.length > 0 ? connections : [8],
    durationMs: first?.durationMs ?? 1000,
    warmupMs: first?.warmupMs ?? 0,
    repeat: Math.max(1, ...points.map((p) => p.repeat + 1)),
    threads: threads.length > 0 ? threads : [1],
    pipelining: first?.pipelining ?? 1,
    timeoutMs: first?.timeoutMs ?? 5000,
    idleConnections: idleConnections.length > 0 ? idleConnections : [0],
    sweep,
    serverOptions: {},
    loadOptions: {},
    pointCount: points.length,
  };
}
