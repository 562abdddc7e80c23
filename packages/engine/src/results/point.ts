/** Builds a PointResult from what the load generator and the server host measured. */

import type { LoadResult } from '@iobench/core';
import {
  type EncodedHistogram,
  emptyErrors,
  emptyPointError,
  evaluateThresholds,
  formatDurationMs,
  generatorBoundVerdict,
  type LoadPointStats,
  type MeasuredStart,
  type NetworkPlacement,
  normaliseErrors,
  overloadVerdict,
  type PerSecondSample,
  type PointInterruptTime,
  type PointProfiles,
  type PointResult,
  type PointSchedule,
  type ProcessUsage,
  type ServerPointStats,
  starvationVerdict,
  summarisePerConnection,
  type Threshold,
} from '@iobench/core';
import { createLatencyHistogram, encodeHistogram, histogramCount, summariseHistogram } from '@iobench/core/histogram';
import type { ServerSnapshot } from '../run/server-process.js';

/**
 * Difference of two server snapshots: the server's share of the measured phase, with its cost per
 * request. CPU is split into user and system microseconds, context switches into voluntary (the
 * thread blocked, e.g. in accept or a wait) and involuntary (preempted): a blocking server shows
 * many voluntary switches per request, a busy event loop few of either.
 */
export function serverDelta(
  before: ServerSnapshot,
  after: ServerSnapshot,
  requests: number,
  /** A snapshot halfway through the measured phase, for `acceptedFirstHalf`. */
  mid?: ServerSnapshot,
): ServerPointStats {
  const userCpuUs = after.usage.userCpuUs - before.usage.userCpuUs;
  const systemCpuUs = after.usage.systemCpuUs - before.usage.systemCpuUs;
  const vol = after.usage.voluntaryCtxSwitches - before.usage.voluntaryCtxSwitches;
  const invol = after.usage.involuntaryCtxSwitches - before.usage.involuntaryCtxSwitches;
  const syscalls = diffRecord(before.stats.syscalls, after.stats.syscalls);
  return withPerRequestFigures(
    {
      cpuUs: userCpuUs + systemCpuUs,
      userCpuUs,
      systemCpuUs,
      voluntaryCtxSwitches: vol,
      involuntaryCtxSwitches: invol,
      ctxSwitches: vol + invol,
      accepted: after.stats.accepted - before.stats.accepted,
      ...(mid ? { acceptedFirstHalf: mid.stats.accepted - before.stats.accepted } : {}),
      refused: after.stats.refused - before.stats.refused,
      requests: after.stats.requests - before.stats.requests,
      errors: diffRecord(before.stats.errors, after.stats.errors) ?? {},
      ...(syscalls ? { syscalls } : {}),
      ...(after.stats.extra ? { extra: diffRecord(before.stats.extra, after.stats.extra) } : {}),
    },
    requests,
  );
}

type ServerTotals = Omit<ServerPointStats, `${string}PerRequest`>;

/**
 * The server's totals divided by the requests the load generator completed. Per-request figures
 * keep four decimals: a syscall made once per thousand requests (accept4 on keep-alive connections)
 * must not round to zero.
 */
export function withPerRequestFigures(totals: ServerTotals, requests: number): ServerPointStats {
  const per = (n: number) => perRequest(n, requests);
  return {
    ...totals,
    cpuUsPerRequest: per(totals.cpuUs),
    userCpuUsPerRequest: per(totals.userCpuUs),
    systemCpuUsPerRequest: per(totals.systemCpuUs),
    ctxSwitchesPerRequest: per(totals.ctxSwitches),
    voluntaryCtxSwitchesPerRequest: per(totals.voluntaryCtxSwitches),
    involuntaryCtxSwitchesPerRequest: per(totals.involuntaryCtxSwitches),
    ...(totals.syscalls
      ? { syscallsPerRequest: Object.fromEntries(Object.entries(totals.syscalls).map(([k, v]) => [k, per(v)])) }
      : {}),
  };
}

/**
 * A total divided by the requests, to four decimals (a syscall made once per thousand requests
 * must not round to zero); 0 when nothing completed.
 */
export function perRequest(total: number, requests: number): number {
  return requests > 0 ? Math.round((total / requests) * 10_000) / 10_000 : 0;
}

/**
 * What the generator's usage and syscall counts add to its stats, per request beside the totals:
 * the user/system split and context switches where known, syscalls where it counts them.
 */
export function loadCostFigures(
  usage: ProcessUsage | undefined,
  syscalls: Record<string, number> | undefined,
  requests: number,
): Partial<LoadPointStats> {
  const per = (n: number) => perRequest(n, requests);
  const out: Partial<LoadPointStats> = {};
  if (usage) {
    out.userCpuUs = Math.round(usage.userCpuUs);
    out.systemCpuUs = Math.round(usage.systemCpuUs);
    out.userCpuUsPerRequest = per(usage.userCpuUs);
    out.systemCpuUsPerRequest = per(usage.systemCpuUs);
    if (usage.voluntaryCtxSwitches !== undefined) {
      out.voluntaryCtxSwitches = usage.voluntaryCtxSwitches;
      out.voluntaryCtxSwitchesPerRequest = per(usage.voluntaryCtxSwitches);
    }
    if (usage.involuntaryCtxSwitches !== undefined) {
      out.involuntaryCtxSwitches = usage.involuntaryCtxSwitches;
      out.involuntaryCtxSwitchesPerRequest = per(usage.involuntaryCtxSwitches);
    }
  }
  if (syscalls) {
    out.syscalls = syscalls;
    out.syscallsPerRequest = Object.fromEntries(Object.entries(syscalls).map(([k, v]) => [k, per(v)]));
  }
  return out;
}

/** What identifies a point, known before it is measured. */
export type PointBase = Pick<
  PointResult,
  'id' | 'server' | 'anchor' | 'load' | 'target' | 'params' | 'repeat' | 'serverOptions' | 'loadOptions' | 'startedAt'
>;

export interface AssemblePointInput {
  base: PointBase;
  load: LoadResult;
  /** CPU microseconds the generator used (plugin-reported or measured in-process). */
  loadCpuUs: number;
  /** `loadCpuUs` split into user and system time, with context switches, when known. */
  loadUsage?: ProcessUsage;
  /** Interrupt time over the measured phase (/proc/stat), when it could be read. */
  interruptTime?: PointInterruptTime;
  server?: ServerPointStats;
  /** Idle connections asked for and still held at the end of the measured phase. */
  idle?: { requested: number; held: number };
  /** When the measured phase started (and was meant to). */
  measuredStart?: MeasuredStart;
  /** What `--profile` recorded of the measured phase. */
  profiles?: PointProfiles;
  /** `--netns`: where server and load ran. */
  network?: NetworkPlacement;
  /** The run's thresholds, checked against the point when it measured something. */
  thresholds?: readonly Threshold[];
  /**
   * The run was interrupted during the measured phase: the point keeps what was measured until then
   * (`interrupted`, `partial`), and no threshold is checked on it.
   */
  interrupted?: boolean;
}

/**
 * The point as measured, with its verdicts (verdicts.ts): a point that completed no request is
 * `failed` with the reason; generator-bound and starvation are judged from what was measured.
 */
export function assemblePoint(input: AssemblePointInput): PointResult {
  const point = measuredPoint(input);
  if (input.interrupted) {
    const measured = formatDurationMs(point.durationMs);
    const planned = formatDurationMs(input.base.params.durationMs);
    return {
      ...point,
      status: 'interrupted',
      partial: true,
      error: { code: 'IOBENCH_INTERRUPTED', message: `interrupted after ${measured} of ${planned}: partial` },
    };
  }
  if (point.status !== 'ok' || !input.thresholds?.length) return point;
  return { ...point, thresholds: evaluateThresholds(point, input.thresholds) };
}

function measuredPoint(input: AssemblePointInput): PointResult {
  const { base, load, loadCpuUs, loadUsage, interruptTime, server, idle, measuredStart, profiles, network } = input;
  const durationMs = load.durationMs > 0 ? load.durationMs : base.params.durationMs;
  const latencyCount = histogramCount(load.latency);
  if (latencyCount !== load.requests) {
    throw new Error(
      `load generator "${base.load}" reported ${load.requests} requests but its latency histogram holds ${latencyCount}`,
    );
  }
  const rps = load.requests / (durationMs / 1000);
  const errors = normaliseErrors(load.errors);
  const perConnection = load.perConnection ? summarisePerConnection(load.perConnection) : undefined;
  const perSecond = load.perSecond ? withSecondLatency(load.perSecond, load.latencyPerSecond) : undefined;
  const empty = emptyPointError({
    requests: load.requests,
    durationMs: base.params.durationMs,
    errors,
    perConnection,
    server,
    idle,
  });
  const starvation = starvationVerdict({ params: base.params, perConnection, serverStats: server });
  const bound = generatorBoundVerdict({
    requests: load.requests,
    reported: load.generatorBound,
    cpuUs: loadCpuUs,
    durationMs,
    threads: base.params.threads,
  });
  return {
    ...base,
    ...(empty ? { status: 'failed', error: empty } : { status: 'ok' }),
    requests: load.requests,
    bytes: load.bytes,
    durationMs: round(durationMs),
    rps: round(rps),
    bytesPerSec: round(load.bytes / (durationMs / 1000)),
    errors,
    ...(load.statusCodes ? { statusCodes: load.statusCodes } : {}),
    latencyUs: summariseHistogram(load.latency),
    ...(load.latencyUncorrected ? { latencyUncorrectedUs: summariseHistogram(load.latencyUncorrected) } : {}),
    ...(load.schedule ? { schedule: pointSchedule(load.schedule, rps) } : {}),
    ...(perConnection ? { perConnection } : {}),
    ...(starvation ? { starvation } : {}),
    ...(perSecond ? { perSecond } : {}),
    ...(server ? { serverStats: server } : {}),
    loadStats: {
      cpuUs: Math.round(loadCpuUs),
      cpuUsPerRequest: load.requests > 0 ? round(loadCpuUs / load.requests) : 0,
      ...bound,
      ...(load.connectionsOpened !== undefined ? { connectionsOpened: load.connectionsOpened } : {}),
      ...(load.connectLatency ? { connectLatencyUs: summariseHistogram(load.connectLatency) } : {}),
      ...(load.protocol ? { protocol: load.protocol } : {}),
      ...(load.ioEngine ? { ioEngine: load.ioEngine } : {}),
      ...loadCostFigures(loadUsage, load.syscalls, load.requests),
    },
    ...(interruptTime ? { interruptTime } : {}),
    ...(load.extra ? { loadExtra: load.extra } : {}),
    ...(idle ? { idle } : {}),
    ...(profiles ? { profiles } : {}),
    ...(network ? { network } : {}),
    ...(measuredStart ? { measuredStart } : {}),
  };
}

/** The open model's schedule as the point keeps it: send lag summarised, the overload verdict judged. */
function pointSchedule(schedule: NonNullable<LoadResult['schedule']>, rps: number): PointSchedule {
  const { targetRate, lateAfterUs, offered, lateSends, droppedSends, sendLag } = schedule;
  const evidence = {
    targetRate,
    achievedRate: round(rps),
    ...(lateAfterUs !== undefined ? { lateAfterUs } : {}),
    ...(offered !== undefined ? { offered } : {}),
    lateSends,
    droppedSends,
  };
  return {
    ...evidence,
    ...(sendLag && histogramCount(sendLag) > 0 ? { sendLagUs: summariseHistogram(sendLag) } : {}),
    ...overloadVerdict(evidence),
  };
}

/** Each second's sample with the latency of the requests completed in it, where the generator split its histogram by second. */
function withSecondLatency(samples: PerSecondSample[], latencies: EncodedHistogram[] | undefined): PerSecondSample[] {
  if (!latencies) return samples;
  return samples.map((sample) => {
    const hdr = latencies[sample.second];
    return hdr && histogramCount(hdr) > 0 ? { ...sample, latencyUs: summariseHistogram(hdr) } : sample;
  });
}

/** A point that did not produce a measurement. */
export function failedPoint(
  base: PointBase,
  status: 'failed' | 'interrupted',
  error: { code: string; message: string; plugin?: string },
): PointResult {
  const empty = encodeHistogram(createLatencyHistogram());
  return {
    ...base,
    status,
    error,
    requests: 0,
    bytes: 0,
    durationMs: 0,
    rps: 0,
    errors: emptyErrors(),
    latencyUs: summariseHistogram(empty),
    loadStats: { cpuUs: 0, cpuUsPerRequest: 0, generatorBound: false },
  };
}

function diffRecord(
  before: Record<string, number> | undefined,
  after: Record<string, number> | undefined,
): Record<string, number> | undefined {
  if (!after) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before?.[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
