/** Builds a PointResult from what the load generator and the server host measured. */

import { formatDurationMs } from '../config/duration.js';
import { createLatencyHistogram, encodeHistogram, histogramCount, summariseHistogram } from '../histogram/index.js';
import type { LoadResult } from '../plugin/contract.js';
import type { ServerSnapshot } from '../run/server-process.js';
import { evaluateThresholds, type Threshold } from './thresholds.js';
import {
  type EncodedHistogram,
  ERROR_CLASSES,
  type ErrorCounts,
  type MeasuredStart,
  type PerConnectionSummary,
  type PerSecondSample,
  type PointResult,
  type ServerPointStats,
} from './types.js';

/** Share of the generator's CPU budget (threads x one core) above which a point is generator-bound. */
const GENERATOR_BOUND_CPU_SHARE = 0.9;

export function emptyErrors(): ErrorCounts {
  return { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0, tls: 0 };
}

export function normaliseErrors(errors: Partial<ErrorCounts> | undefined): ErrorCounts {
  const out = emptyErrors();
  for (const k of ERROR_CLASSES) out[k] = Number(errors?.[k] ?? 0);
  return out;
}

export function summarisePerConnection(counts: number[]): PerConnectionSummary {
  const n = counts.length;
  return {
    connections: n,
    min: n ? Math.min(...counts) : 0,
    max: n ? Math.max(...counts) : 0,
    mean: n ? Math.round((counts.reduce((a, b) => a + b, 0) / n) * 100) / 100 : 0,
    starved: counts.filter((c) => c === 0).length,
    counts,
  };
}

/**
 * Difference of two server snapshots: the server's share of the measured phase, with its cost per
 * request. CPU is split into user and system microseconds, context switches into voluntary (the
 * thread blocked, e.g. in accept or a wait) and involuntary (preempted): a blocking server shows
 * many voluntary switches per request, a busy event loop few of either.
 */
export function serverDelta(before: ServerSnapshot, after: ServerSnapshot, requests: number): ServerPointStats {
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
  const per = (n: number) => (requests > 0 ? Math.round((n / requests) * 10_000) / 10_000 : 0);
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

export interface AssemblePointInput {
  base: Pick<
    PointResult,
    'id' | 'server' | 'load' | 'target' | 'params' | 'repeat' | 'serverOptions' | 'loadOptions' | 'startedAt'
  >;
  load: LoadResult;
  /** CPU microseconds the generator used (plugin-reported or measured in-process). */
  loadCpuUs: number;
  server?: ServerPointStats;
  /** Idle connections asked for and still held at the end of the measured phase. */
  idle?: { requested: number; held: number };
  /** When the measured phase started (and was meant to). */
  measuredStart?: MeasuredStart;
  /** The run's thresholds, checked against the point when it measured something. */
  thresholds?: readonly Threshold[];
}

/**
 * The point as measured. A point that completed no request measured nothing: it is `failed` with
 * the reason (never flagged generator-bound: there was nothing to be bound by).
 */
export function assemblePoint(input: AssemblePointInput): PointResult {
  const point = measuredPoint(input);
  if (point.status !== 'ok' || !input.thresholds?.length) return point;
  return { ...point, thresholds: evaluateThresholds(point, input.thresholds) };
}

function measuredPoint({ base, load, loadCpuUs, server, idle, measuredStart }: AssemblePointInput): PointResult {
  const durationMs = load.durationMs > 0 ? load.durationMs : base.params.durationMs;
  const latencyCount = histogramCount(load.latency);
  if (latencyCount !== load.requests) {
    throw new Error(
      `load generator "${base.load}" reported ${load.requests} requests but its latency histogram holds ${latencyCount}`,
    );
  }
  const cpuBudgetUs = durationMs * 1000 * base.params.threads;
  const empty = load.requests === 0;
  const cpuBound = !empty && loadCpuUs >= GENERATOR_BOUND_CPU_SHARE * cpuBudgetUs;
  const generatorBound = !empty && (Boolean(load.generatorBound) || cpuBound);
  const reason = !generatorBound
    ? undefined
    : load.generatorBound
      ? 'the load generator reported saturation'
      : `the generator used ${Math.round((loadCpuUs / cpuBudgetUs) * 100)}% of its ${base.params.threads} core(s)`;
  const rps = load.requests / (durationMs / 1000);
  const errors = normaliseErrors(load.errors);
  const perConnection = load.perConnection ? summarisePerConnection(load.perConnection) : undefined;
  const perSecond = load.perSecond ? withSecondLatency(load.perSecond, load.latencyPerSecond) : undefined;
  return {
    ...base,
    ...(empty
      ? {
          status: 'failed',
          error: {
            code: 'IOBENCH_POINT_EMPTY',
            message: emptyPointMessage({ durationMs: base.params.durationMs, errors, perConnection, server, idle }),
          },
        }
      : { status: 'ok' }),
    requests: load.requests,
    bytes: load.bytes,
    durationMs: round(durationMs),
    rps: round(rps),
    errors,
    latencyUs: summariseHistogram(load.latency),
    ...(load.latencyUncorrected ? { latencyUncorrectedUs: summariseHistogram(load.latencyUncorrected) } : {}),
    ...(load.schedule ? { schedule: { ...load.schedule, achievedRate: round(rps) } } : {}),
    ...(perConnection ? { perConnection } : {}),
    ...(perSecond ? { perSecond } : {}),
    ...(server ? { serverStats: server } : {}),
    loadStats: {
      cpuUs: Math.round(loadCpuUs),
      cpuUsPerRequest: load.requests > 0 ? round(loadCpuUs / load.requests) : 0,
      generatorBound,
      ...(reason ? { generatorBoundReason: reason } : {}),
      ...(load.connectionsOpened !== undefined ? { connectionsOpened: load.connectionsOpened } : {}),
      ...(load.connectLatency ? { connectLatencyUs: summariseHistogram(load.connectLatency) } : {}),
    },
    ...(load.extra ? { loadExtra: load.extra } : {}),
    ...(idle ? { idle } : {}),
    ...(measuredStart ? { measuredStart } : {}),
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

/** Why a point completed no request, from what was measured: `completed no request in 300ms (...)`. */
function emptyPointMessage(m: {
  durationMs: number;
  errors: ErrorCounts;
  perConnection?: PerConnectionSummary;
  server?: ServerPointStats;
  idle?: { requested: number; held: number };
}): string {
  const seen: string[] = [];
  const errors = ERROR_CLASSES.filter((k) => m.errors[k] > 0).map((k) => `${m.errors[k]} ${k}`);
  if (errors.length > 0) seen.push(`errors: ${errors.join(', ')}`);
  if (m.perConnection) seen.push(`${m.perConnection.starved} of ${m.perConnection.connections} connections starved`);
  if (m.server) seen.push(`the server accepted ${m.server.accepted} connection(s)`);
  if (m.idle) seen.push(`${m.idle.held} of ${m.idle.requested} idle connection(s) held open`);
  const what = seen.length > 0 ? ` (${seen.join('; ')})` : '';
  // Every handshake failing is a certificate the generator does not trust, not a slow server.
  const tls =
    m.errors.tls > 0
      ? '; the TLS handshake failed: for a self-signed or private CA certificate, give the load generator a CA to trust or let it skip verification (undici: --load-opt ca=FILE or --load-opt insecure=true)'
      : '';
  return `completed no request in ${formatDurationMs(m.durationMs)}${what}${tls}`;
}

/** A point that did not produce a measurement. */
export function failedPoint(
  base: AssemblePointInput['base'],
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
