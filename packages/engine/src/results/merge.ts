/**
 * Merging results of one plan measured from several load hosts at once (each ran
 * `iobench run --target URL` against the same server) into one results file: per point, latency
 * histograms are added exactly and counts and rates summed, because the hosts loaded the server
 * concurrently. The shard files of a sharded run (`--shard i/N`) must be complete and are merged
 * onto the plan's totals (merge-shards.ts). Points match on their parameters but the seed of Poisson
 * arrivals: hosts drawing independent Poisson streams offered the server one Poisson stream at the
 * summed rate (point-identity.ts; merge-arrivals.ts warns when they drew the same one).
 * One function per part of a point, each merged exactly.
 */

import {
  addCounts,
  addStatusCodes,
  ConfigError,
  ERROR_CLASSES,
  emptyErrors,
  type LatencySummary,
  type LoadPointStats,
  overloadVerdict,
  type PerSecondSample,
  type PointMergeSummary,
  type PointResult,
  type PointSchedule,
  type ResultsFile,
  ResultsFileError,
  ResultsMismatchError,
  type RunEnvironment,
  type RunPlan,
  stableJson,
  starvationVerdict,
  summarisePerConnection,
} from '@iobench/core';
import { histogramCount, mergeHistograms, summariseHistogram } from '@iobench/core/histogram';
import { isCapacityRun } from '../compare/capacity.js';
import { diffPlans } from '../compare/plan-diff.js';
import { shareOf } from '../shard/shard.js';
import { strictMergeError } from './merge-checks.js';
import { overlapPct, startMs } from './merge-overlap.js';
import { isSharded, unshardInputs } from './merge-shards.js';
import { loadCostFigures, withPerRequestFigures } from './point.js';
import { measurementIdentity, type PointPlanParam, SAMPLE_PARAMS } from './point-identity.js';

/** One results file to merge, with the path it came from (for messages and the record of hosts). */
export interface MergeInput {
  file: string;
  results: ResultsFile;
}

/** A load host whose results went into a merged file. */
export interface MergedHost {
  file: string;
  hostname: string;
  /** Its shard index, for the files of a sharded run. */
  shard?: number;
  createdAt: string;
  finishedAt?: string;
  status: ResultsFile['status'];
  env: RunEnvironment;
}

/** The first host's environment, `hostname` listing every host, and every host's own record. */
export interface MergedEnvironment extends RunEnvironment {
  hosts: MergedHost[];
}

export type MergedResultsFile = ResultsFile & { env: MergedEnvironment };

const STATUS_RANK: Record<ResultsFile['status'], number> = { complete: 0, running: 1, interrupted: 2, failed: 3 };
const POINT_STATUS_RANK: Record<PointResult['status'], number> = { ok: 0, interrupted: 1, failed: 2 };

/**
 * Merges results of the same plan into one. Throws `ResultsMismatchError` naming the difference when
 * the plans or their points differ, or when one run is given twice.
 *
 * Per point: histograms added, requests/bytes/errors/status codes/rps summed, duration the longest, per-connection
 * counts concatenated, generator CPU summed (generator-bound if any host was) with its user/system
 * split, context switches and syscalls (per request of the merged count), server stats kept only
 * when exactly one host recorded them (their per-request figures then use the merged request count,
 * since the server served every host), generator extras kept per host as `host<N>.<key>`, and each
 * file's share with the skew of their measured starts under `merge`. Interrupt time is left out
 * (see `mergePoint`).
 *
 * Shard files (`run --shard i/N`) must be every shard of one run, each once (else a
 * `ResultsMismatchError` names the file); they are merged in shard order onto the plan's totals.
 *
 * Points (and plans) that differ only in the seed of their Poisson arrivals merge: the merged point
 * keeps a seed every part shares and otherwise has none, each part's seed under `merge.parts`.
 *
 * Separate runs' points record how long their measured phases ran together (`merge.overlapPct`);
 * `mergeWarnings` (merge-checks.ts) names the points where they did not, and those whose runs drew
 * the same Poisson arrivals; with `strict` either is refused.
 * Capacity runs are refused: searches do not add up (see `refuseCapacityRuns`).
 */
export function mergeResults(given: MergeInput[], options: { strict?: boolean } = {}): MergedResultsFile {
  if (given.length < 2) throw new ConfigError(`merge needs at least two results files (got ${given.length})`);
  refuseCapacityRuns(given);
  // Shards of one run are told apart by their index (several may share a host and a start time).
  const inputs = isSharded(given) ? unshardInputs(given) : given;
  if (!isSharded(given)) checkDistinct(inputs);
  const [first, ...rest] = inputs as [MergeInput, ...MergeInput[]];
  for (const other of rest) {
    const differences = diffPlans(first.results.plan, other.results.plan, [first.file, other.file], [...SAMPLE_PARAMS]);
    if (differences.length) {
      throw new ResultsMismatchError(
        `cannot merge ${other.file} with ${first.file}: the plans differ in ${differences.join('; ')}`,
        {
          suggestions: [
            'merge results of one plan measured from several load hosts: the same config, run with `iobench run --target URL` on each',
          ],
        },
      );
    }
  }
  const byId = inputs.map(({ file, results }) => ({ file, points: new Map(results.points.map((p) => [p.id, p])) }));
  for (const other of byId.slice(1)) {
    const missing = (from: typeof other, to: typeof other) =>
      [...from.points.keys()].filter((id) => !to.points.has(id));
    for (const [from, to] of [
      [byId[0]!, other],
      [other, byId[0]!],
    ] as const) {
      const ids = missing(from, to);
      if (ids.length) {
        throw new ResultsMismatchError(
          `cannot merge: ${ids.length} point(s) of ${from.file} are missing from ${to.file} (${ids.join(', ')}); was one run interrupted?`,
        );
      }
    }
  }
  const points = first.results.points.map((p) =>
    mergePoint(byId.map(({ file, points }, i) => ({ file, results: inputs[i]!.results, point: points.get(p.id)! }))),
  );
  if (options.strict) {
    const refusal = strictMergeError(points);
    if (refusal) throw refusal;
  }
  const hosts: MergedHost[] = inputs.map(({ file, results }) => ({
    file,
    hostname: results.env.hostname,
    ...(results.shard ? { shard: results.shard.index } : {}),
    createdAt: results.createdAt,
    ...(results.finishedAt ? { finishedAt: results.finishedAt } : {}),
    status: results.status,
    env: results.env,
  }));
  const finished = inputs.map((i) => i.results.finishedAt);
  return {
    schemaVersion: first.results.schemaVersion,
    createdAt: inputs.map((i) => i.results.createdAt).sort()[0]!,
    ...(finished.every(Boolean) ? { finishedAt: (finished as string[]).sort().at(-1)! } : {}),
    status: inputs.map((i) => i.results.status).sort((x, y) => STATUS_RANK[y] - STATUS_RANK[x])[0]!,
    env: { ...first.results.env, hostname: [...new Set(hosts.map((h) => h.hostname))].join(', '), hosts },
    plan: withoutDifferingSamples(
      first.results.plan,
      inputs.map((i) => i.results.plan),
    ),
    points,
  };
}

/**
 * A capacity search (`--find-capacity`) has no merge: each search chose every probe's rate from its
 * own earlier probes, so two hosts' searches never offered one load together — summing their probes
 * describes a load the server never carried, and each capacity was found while the other host's load
 * came and went. (A search cannot run sharded for the same reason.)
 */
function refuseCapacityRuns(inputs: MergeInput[]): void {
  const search = inputs.find((i) => isCapacityRun(i.results));
  if (!search) return;
  throw new ResultsMismatchError(
    `cannot merge ${search.file}: it holds capacity searches (--find-capacity), and searches do not add up. Each probe's rate follows from that search's own earlier probes, so two hosts' searches never offered one load together: their probes summed describe a load the server never carried, and each capacity was found while the other host's load came and went`,
    {
      suggestions: [
        'to search above what one generator can offer, give the search more generator threads (--threads) on one host',
        'to load one server from several hosts at once, run set rates on every host together (`iobench run --target URL --rate R --start-at <instant>`) and merge those',
        'to set two capacity runs side by side, use `iobench compare A B`',
      ],
    },
  );
}

function checkDistinct(inputs: MergeInput[]): void {
  const seen = new Map<string, string>();
  for (const { file, results } of inputs) {
    const key = `${results.env?.hostname}\n${results.createdAt}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ResultsMismatchError(
        `${earlier} and ${file} are the same run (host ${results.env?.hostname}, created ${results.createdAt}); merging it twice would double its counts`,
      );
    }
    seen.set(key, file);
  }
}

function mergePoint(parts: Array<{ file: string; results: ResultsFile; point: PointResult }>): PointResult {
  const points = parts.map((p) => p.point);
  const base = points[0]!;
  for (const { file, point } of parts) {
    if (
      measurementIdentity(point, SAMPLE_PARAMS) !== measurementIdentity(base, SAMPLE_PARAMS) ||
      point.repeat !== base.repeat
    ) {
      throw new ResultsMismatchError(
        `cannot merge point ${base.id}: ${file} measured it with other parameters (${JSON.stringify(point.params)} vs ${JSON.stringify(base.params)})`,
      );
    }
  }
  const worst = [...points].sort((x, y) => POINT_STATUS_RANK[y.status] - POINT_STATUS_RANK[x.status])[0]!;
  const requests = sum(points.map((p) => p.requests));
  const latencyUs = summariseHistogram(mergeHistograms(points.map((p) => p.latencyUs.hdr)));
  const latencyCount = histogramCount(latencyUs.hdr);
  if (latencyCount !== requests) {
    throw new ResultsFileError(
      `point ${base.id}: its latency histograms hold ${latencyCount} values but the files report ${requests} requests; is one of ${parts.map((p) => p.file).join(', ')} edited or corrupt?`,
    );
  }
  const errors = emptyErrors();
  for (const k of ERROR_CLASSES) errors[k] = sum(points.map((p) => p.errors[k]));
  const loadCpuUs = sum(points.map((p) => p.loadStats.cpuUs));
  const boundReasons = parts
    .filter((p) => p.point.loadStats.generatorBound)
    .map((p) => `${p.file}: ${p.point.loadStats.generatorBoundReason ?? 'generator-bound'}`);
  const serverStats = points.filter((p) => p.serverStats).map((p) => p.serverStats!);
  const extras = points.flatMap((p, i) =>
    Object.entries(p.loadExtra ?? {}).map(([k, v]) => [`host${i + 1}.${k}`, v] as const),
  );
  const all = <T>(pick: (p: PointResult) => T | undefined) => fromEvery(points, pick);
  const uncorrected = all((p) => p.latencyUncorrectedUs);
  const schedules = all((p) => p.schedule);
  const perConnectionParts = all((p) => p.perConnection);
  const perConnection = perConnectionParts
    ? summarisePerConnection(perConnectionParts.flatMap((c) => c.counts))
    : undefined;
  const server = serverStats.length === 1 ? withPerRequestFigures(serverStats[0]!, requests) : undefined;
  const starvation = starvationVerdict({ params: base.params, perConnection, serverStats: server });
  const perSecond = all((p) => p.perSecond);
  const idle = all((p) => p.idle);
  const measuredStarts = all((p) => p.measuredStart);
  const connectLatency = all((p) => p.loadStats.connectLatencyUs);
  const connectionsOpened = all((p) => p.loadStats.connectionsOpened);
  // Hosts that measured the same point with the same parameters negotiated the same protocol, or say none.
  const protocols = new Set(points.map((p) => p.loadStats.protocol));
  const protocol = protocols.size === 1 ? points[0]!.loadStats.protocol : undefined;
  // Hosts may differ (io_uring forbidden in one's container): every engine that ran is named.
  const ioEngines = [...new Set(points.map((p) => p.loadStats.ioEngine))].filter((e) => e !== undefined).sort();
  const statusCodes = addStatusCodes(points.map((p) => p.statusCodes));
  const bytesPerSec = all((p) => p.bytesPerSec);
  return {
    id: base.id,
    server: base.server,
    ...(base.anchor ? { anchor: base.anchor } : {}),
    load: base.load,
    target: base.target,
    params: withoutDifferingSamples(
      base.params,
      points.map((p) => p.params),
    ),
    repeat: base.repeat,
    serverOptions: base.serverOptions,
    loadOptions: base.loadOptions,
    status: worst.status,
    ...(worst.error ? { error: worst.error } : {}),
    requests,
    bytes: sum(points.map((p) => p.bytes)),
    durationMs: Math.max(...points.map((p) => p.durationMs)),
    rps: round(sum(points.map((p) => p.rps))),
    ...(bytesPerSec ? { bytesPerSec: round(sum(bytesPerSec)) } : {}),
    errors,
    ...(statusCodes ? { statusCodes } : {}),
    latencyUs,
    ...(uncorrected ? { latencyUncorrectedUs: mergeSummaries(uncorrected) } : {}),
    ...(schedules
      ? {
          schedule: mergeSchedules(schedules),
        }
      : {}),
    ...(perConnection ? { perConnection } : {}),
    ...(starvation ? { starvation } : {}),
    ...(perSecond ? { perSecond: sumPerSecond(perSecond) } : {}),
    ...(server ? { serverStats: server } : {}),
    loadStats: {
      cpuUs: loadCpuUs,
      cpuUsPerRequest: requests > 0 ? round(loadCpuUs / requests) : 0,
      generatorBound: boundReasons.length > 0,
      ...(boundReasons.length ? { generatorBoundReason: boundReasons.join('; ') } : {}),
      ...(connectionsOpened ? { connectionsOpened: sum(connectionsOpened) } : {}),
      ...(connectLatency ? { connectLatencyUs: mergeSummaries(connectLatency) } : {}),
      ...(protocol ? { protocol } : {}),
      ...(ioEngines.length > 0 ? { ioEngine: ioEngines.join(',') } : {}),
      ...generatorCosts(points, requests),
    },
    // No interruptTime: each host's is its own machine's /proc/stat (machine-wide, or its pinned
    // CPUs'), so hosts on one machine (shards on one node) would count the same softirq twice, and
    // per-CPU figures of different machines do not add. Each host's file keeps its own.
    ...(extras.length ? { loadExtra: Object.fromEntries(extras) } : {}),
    ...(idle ? { idle: { requested: sum(idle.map((i) => i.requested)), held: sum(idle.map((i) => i.held)) } } : {}),
    merge: mergeSummary(parts),
    startedAt: points.map((p) => p.startedAt).sort()[0]!,
    ...(measuredStarts ? { measuredStart: { at: measuredStarts.map((m) => m.at).sort()[0]! } } : {}),
  };
}

/** Each file's share of a point and the spread of their measured starts. */
function mergeSummary(parts: Array<{ file: string; results: ResultsFile; point: PointResult }>): PointMergeSummary {
  const starts = parts.map(({ point }) => startMs(point.measuredStart));
  const known = starts.filter((s): s is number => s !== undefined);
  const overlap = overlapPct(
    parts.map(({ file, point }) => ({ file, start: point.measuredStart, durationMs: point.durationMs })),
  );
  return {
    parts: parts.map(({ file, results, point }) => ({
      file,
      hostname: results.env.hostname,
      ...(results.shard ? { shard: results.shard.index } : {}),
      connections: shareConnections(point, results),
      requests: point.requests,
      rps: point.rps,
      ...(point.measuredStart ? { measuredStart: point.measuredStart } : {}),
      ...(point.params.seed !== undefined ? { seed: point.params.seed } : {}),
    })),
    connections: sum(parts.map(({ point, results }) => shareConnections(point, results))),
    ...(known.length === starts.length ? { startSkewMs: round(Math.max(...known) - Math.min(...known)) } : {}),
    ...(overlap !== undefined ? { overlapPct: overlap } : {}),
  };
}

/**
 * A merged plan's or point's parameters: one that picks the sample (the seed) and differs between
 * the parts has no one value for the merge, and is left out (each part's seed is under `merge.parts`).
 */
function withoutDifferingSamples<T extends RunPlan | PointResult['params']>(merged: T, parts: T[]): T {
  const out = { ...merged };
  for (const key of SAMPLE_PARAMS as readonly PointPlanParam[]) {
    if (new Set(parts.map((p) => stableJson(p[key]))).size > 1) delete out[key];
  }
  return out;
}

/** A part's own connections: for a shard, its share (its point carries the total by now). */
function shareConnections(point: PointResult, results: ResultsFile): number {
  return results.shard ? shareOf(point.params.connections, results.shard) : point.params.connections;
}

function mergeSummaries(summaries: LatencySummary[]): LatencySummary {
  return summariseHistogram(mergeHistograms(summaries.map((s) => s.hdr)));
}

/**
 * Hosts started within a moment of each other, so their seconds line up closely enough to add. A
 * second's latency is merged when every host that completed requests in it recorded one.
 */
function sumPerSecond(series: PerSecondSample[][]): PerSecondSample[] {
  const bySecond = new Map<number, PerSecondSample[]>();
  for (const sample of series.flat()) bySecond.set(sample.second, [...(bySecond.get(sample.second) ?? []), sample]);
  return [...bySecond.entries()]
    .sort(([x], [y]) => x - y)
    .map(([second, samples]) => {
      const latencies = samples.filter((s) => s.requests > 0).map((s) => s.latencyUs);
      const complete = latencies.length > 0 && latencies.every((l) => l !== undefined);
      const offered = samples.every((s) => s.offered !== undefined)
        ? { offered: sum(samples.map((s) => s.offered!)), late: sum(samples.map((s) => s.late ?? 0)) }
        : {};
      return {
        second,
        requests: sum(samples.map((s) => s.requests)),
        errors: sum(samples.map((s) => s.errors)),
        ...offered,
        ...(complete ? { latencyUs: mergeSummaries(latencies as LatencySummary[]) } : {}),
      };
    });
}

/**
 * The hosts' schedules as one: counts added, send lags merged, and the overload verdict judged
 * again on the sums — and kept when any host was overloaded on its own (its latency is queue-bound
 * whatever the others did).
 */
function mergeSchedules(schedules: PointSchedule[]): PointSchedule {
  const offered = schedules.every((s) => s.offered !== undefined)
    ? { offered: sum(schedules.map((s) => s.offered!)) }
    : {};
  const lateAfter = schedules.flatMap((s) => (s.lateAfterUs !== undefined ? [s.lateAfterUs] : []));
  const evidence = {
    targetRate: sum(schedules.map((s) => s.targetRate)),
    achievedRate: round(sum(schedules.map((s) => s.achievedRate))),
    ...(lateAfter.length > 0 ? { lateAfterUs: Math.max(...lateAfter) } : {}),
    ...offered,
    lateSends: sum(schedules.map((s) => s.lateSends)),
    droppedSends: sum(schedules.map((s) => s.droppedSends)),
  };
  const lags = schedules.map((s) => s.sendLagUs);
  const verdict = overloadVerdict(evidence);
  const hostReasons = schedules.filter((s) => s.overloaded).map((s) => s.overloadReason ?? 'overloaded');
  return {
    ...evidence,
    ...(lags.every((l) => l !== undefined) ? { sendLagUs: mergeSummaries(lags as LatencySummary[]) } : {}),
    ...(verdict.overloaded || hostReasons.length === 0
      ? verdict
      : { overloaded: true, overloadReason: `a host was overloaded: ${hostReasons.join('; ')}` }),
  };
}

/**
 * The generators' user/system CPU, context switches and syscalls, each summed over the hosts (every
 * host's generator drove its share of the requests) and divided by the merged request count. A
 * figure some host did not record is left out: a sum missing a host would understate the cost.
 */
function generatorCosts(points: PointResult[], requests: number): Partial<LoadPointStats> {
  const total = (pick: (s: LoadPointStats) => number | undefined) => {
    const values = fromEvery(points, (p) => pick(p.loadStats));
    return values ? sum(values) : undefined;
  };
  const userCpuUs = total((s) => s.userCpuUs);
  const systemCpuUs = total((s) => s.systemCpuUs);
  const voluntaryCtxSwitches = total((s) => s.voluntaryCtxSwitches);
  const involuntaryCtxSwitches = total((s) => s.involuntaryCtxSwitches);
  const usage =
    userCpuUs !== undefined && systemCpuUs !== undefined
      ? {
          userCpuUs,
          systemCpuUs,
          ...(voluntaryCtxSwitches !== undefined ? { voluntaryCtxSwitches } : {}),
          ...(involuntaryCtxSwitches !== undefined ? { involuntaryCtxSwitches } : {}),
        }
      : undefined;
  return loadCostFigures(usage, addCounts(points.map((p) => p.loadStats.syscalls)), requests);
}

/** Every point's value, or undefined when some point has none. */
function fromEvery<T>(points: PointResult[], pick: (p: PointResult) => T | undefined): T[] | undefined {
  const values = points.map(pick);
  return values.every((v) => v !== undefined) ? (values as T[]) : undefined;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
