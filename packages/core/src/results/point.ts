/**
 * One measured point: one server (or target) x one load x one parameter set x one repeat, with
 * everything measured about it — throughput, latency, errors, the open model's schedule, server and
 * generator cost, starvation, thresholds — and how a merged point was put together:
 * one documented schema per part of the point, kept together so the file reads as its reference.
 */
import { z } from 'zod';
import { capacityProbe } from './capacity.js';
import { networkPlacement } from './environment.js';
import {
  count,
  errorCounts,
  failureRecord,
  httpProtocol,
  latencySummary,
  numbers,
  options,
  statusCodes,
} from './measures.js';
import { pointParams } from './plan.js';
import { pointProfiles } from './profiles.js';

/**
 * How well an open-model point kept its schedule, and the verdict on it. An `overloaded` point
 * could not send on time: its latency describes the queue inside the generator, not the server.
 */
export const pointSchedule = z.object({
  /** The target rate, requests per second (the highest stage's, with stages). */
  targetRate: z.number(),
  /** Requests completed per second of the measured phase. */
  achievedRate: z.number(),
  /** Sends the schedule intended within the measured phase (Poisson draws vary around target × duration). */
  offered: count.optional(),
  /**
   * The generator's send precision, µs: a send later than this was late (native 1,000; undici
   * 2,000, its timers tick in milliseconds). Absent in earlier files: 1,000.
   */
  lateAfterUs: count.optional(),
  /** Sends that went out more than `lateAfterUs` after their intended time. */
  lateSends: count,
  /** Sends due more than `lateAfterUs` before the end of the phase that never went out. */
  droppedSends: count,
  /** Actual minus intended send time: the generator's own share of the corrected latency. */
  sendLagUs: latencySummary.optional(),
  /** The schedule could not be kept (verdicts.ts says when); earlier files read as false. */
  overloaded: z.boolean().default(false),
  /** Why, in words, when overloaded. */
  overloadReason: z.string().optional(),
});
export type PointSchedule = z.output<typeof pointSchedule>;

/** Requests completed in one second of the measured phase. */
export const perSecondSample = z.object({
  /** Seconds since the start of the measured phase (0, 1, 2, ...). */
  second: z.number(),
  requests: count,
  errors: count,
  /** Open model: the sends the schedule intended in this second — the offered load. */
  offered: count.optional(),
  /** Open model: of those, the sends that went out late (past the generator's precision), or never. */
  late: count.optional(),
  /**
   * Latency of the requests that completed in this second; absent when the load generator reports
   * one histogram for the whole phase (wrk) or nothing completed in it.
   */
  latencyUs: latencySummary.optional(),
});
export type PerSecondSample = z.output<typeof perSecondSample>;

/** Per-connection completion counts: how evenly the server served the connections. */
export const perConnectionSummary = z.object({
  /** Connections the generator reported on. */
  connections: count,
  min: count,
  max: count,
  mean: z.number(),
  /** Connections that completed no request at all: starved. */
  starved: count,
  /** Every connection's count, in the generator's order. */
  counts: z.array(count),
});
export type PerConnectionSummary = z.output<typeof perConnectionSummary>;

/**
 * Connections the server left waiting through the measured phase (head-of-line starvation), judged
 * when the point was assembled from the best evidence it had (results/verdicts.ts).
 */
export const starvation = z.object({
  /** Connections that waited: they completed no request, or had not been accepted halfway through. */
  starved: count,
  /** Connections the generator held open. */
  connections: count,
  /**
   * What showed it: `perConnection`, the generator's per-connection completion counts; or
   * `acceptedFirstHalf`, the connections the server had accepted halfway through the measured phase
   * (for generators without per-connection counts, such as wrk).
   */
  seenIn: z.enum(['perConnection', 'acceptedFirstHalf']),
});
export type Starvation = z.output<typeof starvation>;

/** What core measured about the server process during the measured phase (deltas). */
export const serverPointStats = z.object({
  /** Server process CPU (user + system) in microseconds, all threads. */
  cpuUs: z.number(),
  userCpuUs: z.number(),
  systemCpuUs: z.number(),
  cpuUsPerRequest: z.number(),
  /** User-space CPU microseconds per request (the server's own code, Node, libc). */
  userCpuUsPerRequest: z.number().optional(),
  /** Kernel CPU microseconds per request (syscalls, TCP stack, scheduling). */
  systemCpuUsPerRequest: z.number().optional(),
  voluntaryCtxSwitches: count,
  involuntaryCtxSwitches: count,
  ctxSwitches: count,
  ctxSwitchesPerRequest: z.number(),
  /** Voluntary context switches (the thread blocked, e.g. in a syscall) per request. */
  voluntaryCtxSwitchesPerRequest: z.number().optional(),
  /** Involuntary context switches (preempted) per request. */
  involuntaryCtxSwitchesPerRequest: z.number().optional(),
  /** Server-side counters (deltas), from the plugin's `stats()`. */
  accepted: count,
  /**
   * Connections accepted in the first half of the measured phase. Below the generator's connection
   * count, the server left connections waiting (e.g. a blocking server with keep-alive).
   */
  acceptedFirstHalf: count.optional(),
  refused: count,
  requests: count,
  errors: numbers,
  syscalls: numbers.optional(),
  syscallsPerRequest: numbers.optional(),
  extra: numbers.optional(),
});
export type ServerPointStats = z.output<typeof serverPointStats>;

/** What core measured about the load generator. */
export const loadPointStats = z.object({
  cpuUs: z.number(),
  cpuUsPerRequest: z.number(),
  /** True when the generator, not the server, was the bottleneck for this point. */
  generatorBound: z.boolean(),
  /** Why it was flagged, in words. */
  generatorBoundReason: z.string().optional(),
  connectionsOpened: count.optional(),
  connectLatencyUs: latencySummary.optional(),
  /** The HTTP version the generator's connections negotiated (`http/1.1`, or `h2` with `--http2`), when it tells. */
  protocol: httpProtocol.optional(),
  /** The generator's I/O mechanism, when it has more than one (native: `io_uring` or `epoll`). */
  ioEngine: z.string().optional(),
  /**
   * `cpuUs` split into user and system time, when known: for in-process generators, the whole
   * iobench process (every thread, io_uring's kernel workers included; the native generator from its
   * threads' start, their start-up left out); wrk reports its own getrusage over its life.
   */
  userCpuUs: z.number().optional(),
  systemCpuUs: z.number().optional(),
  userCpuUsPerRequest: z.number().optional(),
  systemCpuUsPerRequest: z.number().optional(),
  /** The generator's context switches, when known: voluntary (blocked, e.g. in epoll_wait) and involuntary (preempted). */
  voluntaryCtxSwitches: count.optional(),
  involuntaryCtxSwitches: count.optional(),
  voluntaryCtxSwitchesPerRequest: z.number().optional(),
  involuntaryCtxSwitchesPerRequest: z.number().optional(),
  /** Syscalls the generator issued, by syscall, when it counts them (native); per request beside. */
  syscalls: numbers.optional(),
  syscallsPerRequest: numbers.optional(),
});
export type LoadPointStats = z.output<typeof loadPointStats>;

/** One CPU's interrupt time over the measured phase (/proc/stat). */
export const cpuInterruptTime = z.object({
  cpu: count,
  softirqUs: z.number(),
  irqUs: z.number(),
});
export type CpuInterruptTime = z.output<typeof cpuInterruptTime>;

/** Interrupt time on the CPUs one side (server or generator) was pinned to, with its cost per request. */
export const sideInterruptTime = z.object({
  /** The side's CPU list, as pinned (`taskset -c` syntax). */
  cpus: z.string(),
  softirqUs: z.number(),
  irqUs: z.number(),
  softirqUsPerRequest: z.number(),
  irqUsPerRequest: z.number(),
});
export type SideInterruptTime = z.output<typeof sideInterruptTime>;

/**
 * Time the kernel spent in interrupts over the measured phase, from /proc/stat: hardware interrupts
 * (irq) and softirqs, where the TCP receive path runs. On loopback a packet's receive runs in
 * softirq on the CPU that sent it, charged to no process, so neither side's user + system time holds
 * it. The counters are machine-wide: when server and generator were pinned to disjoint CPUs each
 * side's share is the time on its own CPUs (`attribution: 'pinned'`: a side's softirq is then the
 * kernel carrying its sends through to the peer's socket); otherwise only the machine total is known
 * (`attribution: 'machine'`), anything else the machine ran included.
 */
export const pointInterruptTime = z.object({
  attribution: z.enum(['pinned', 'machine']),
  /** Every CPU together. */
  softirqUs: z.number(),
  irqUs: z.number(),
  softirqUsPerRequest: z.number(),
  irqUsPerRequest: z.number(),
  /** The CPUs that spent any, in CPU order. */
  perCpu: z.array(cpuInterruptTime),
  /** With `attribution: 'pinned'`: the server's CPUs. */
  server: sideInterruptTime.optional(),
  /** With `attribution: 'pinned'`: the generator's CPUs. */
  generator: sideInterruptTime.optional(),
});
export type PointInterruptTime = z.output<typeof pointInterruptTime>;

/**
 * What a threshold measures: a latency percentile (µs), req/s, an error count or share (%), a share
 * of responses by status class (%), server CPU µs per request.
 */
export const thresholdMetric = z.enum([
  'p50',
  'p75',
  'p90',
  'p95',
  'p99',
  'p99_9',
  'p99_99',
  'max',
  'mean',
  'rps',
  'errors',
  'errorRate',
  'cpuPerRequest',
  'dropped',
  'late',
  'status2xx',
  'status3xx',
  'status4xx',
  'status5xx',
]);
export type ThresholdMetric = z.output<typeof thresholdMetric>;

/** How a threshold compares the measured value with its limit. */
export const thresholdOp = z.enum(['<', '<=', '>', '>=']);
export type ThresholdOp = z.output<typeof thresholdOp>;

/** One threshold (`--threshold p99<10ms`) checked against one point. */
export const thresholdCheck = z.object({
  /** As written: `p99<10ms`. */
  threshold: z.string(),
  metric: thresholdMetric,
  op: thresholdOp,
  /** The limit in the metric's unit: µs for latency and CPU, req/s, a count, or a percentage (error and status shares). */
  limit: z.number(),
  /** The point's value in the same unit; absent when the point does not have the metric. */
  value: z.number().optional(),
  pass: z.boolean(),
  /**
   * Why the check says little here, when it does: a latency limit the generator's own send lag
   * takes half of or more (`the generator's own p99 send lag is 1.40ms: p99<1ms cannot be judged`).
   */
  caution: z.string().optional(),
});
export type ThresholdCheck = z.output<typeof thresholdCheck>;

/** The start of a point's measured phase, by this host's clock. */
export const measuredStart = z.object({
  /** When the measured phase started (ISO 8601). */
  at: z.string(),
  /** The instant it was scheduled for (`iobench run --start-at`), when it was. */
  intendedAt: z.string().optional(),
  /** `at` minus `intendedAt` in milliseconds, to 0.01 ms: positive when it started late. */
  offsetMs: z.number().optional(),
});
export type MeasuredStart = z.output<typeof measuredStart>;

/** One merged file's share of a merged point. */
export const pointMergePart = z.object({
  /** The results file, as given to `iobench merge`. */
  file: z.string(),
  hostname: z.string(),
  /** Its shard index, for the files of a sharded run (`--shard i/N`). */
  shard: count.optional(),
  connections: count,
  requests: count,
  rps: z.number(),
  /** When its measured phase started, when the file records it. */
  measuredStart: measuredStart.optional(),
  /**
   * The seed of its Poisson arrivals, for a Poisson point. Parts drawn from different seeds merge
   * into a point that has no seed of its own (its `params.seed` is left out): each part's is here.
   */
  seed: count.optional(),
});
export type PointMergePart = z.output<typeof pointMergePart>;

/** How a merged point was put together. */
export const pointMergeSummary = z.object({
  /** Every merged file's share, in the order they were given (shard order for a sharded run). */
  parts: z.array(pointMergePart),
  /**
   * Latest minus earliest start of the parts' measured phases in milliseconds (by each host's own
   * clock), when every part records it: how well the hosts' load overlapped.
   */
  startSkewMs: z.number().optional(),
  /** Every part's connections added up: the connections that loaded the server together. */
  connections: count.optional(),
  /**
   * The share of the longest part's measured phase, in percent, during which every part was
   * measuring (0: they never ran together, e.g. runs made one after the other), when every part
   * records its measured start.
   */
  overlapPct: z.number().optional(),
});
export type PointMergeSummary = z.output<typeof pointMergeSummary>;

/** One measured point. */
export const pointResult = z.object({
  /** Stable id within the run, e.g. `node/undici/c8/r0`. */
  id: z.string(),
  /** Server plugin name, the anchor's name, or `target` when measuring an external URL. */
  server: z.string(),
  /** True for an anchor: a server the user started, measured for comparison. */
  anchor: z.boolean().optional(),
  load: z.string(),
  /** The URL that was measured. */
  target: z.string(),
  params: pointParams,
  /** 0-based repeat index. */
  repeat: count,
  serverOptions: options,
  loadOptions: options,
  status: z.enum(['ok', 'failed', 'interrupted']),
  /**
   * An `interrupted` point that keeps what its measured phase had measured when the run was
   * interrupted (Ctrl-C): its figures cover `durationMs`, less than planned, and no threshold is
   * checked on it. Absent on a point interrupted before its measured phase.
   */
  partial: z.boolean().optional(),
  /** Why the point failed, when it did. */
  error: failureRecord.optional(),
  requests: count,
  /** Response bytes received (headers and bodies). */
  bytes: count,
  durationMs: z.number(),
  rps: z.number(),
  /** Response bytes received per second of the measured phase (wrk's Transfer/sec); absent in files written before it. */
  bytesPerSec: z.number().optional(),
  errors: errorCounts,
  /**
   * Completed responses by status code, when the load generator counts them (native and undici
   * always, wrk with its `statusCodes` option); absent otherwise. Their sum is `requests`.
   */
  statusCodes: statusCodes.optional(),
  latencyUs: latencySummary,
  /** Open model: latency from the actual send time, uncorrected for coordinated omission. */
  latencyUncorrectedUs: latencySummary.optional(),
  schedule: pointSchedule.optional(),
  perConnection: perConnectionSummary.optional(),
  /** Starvation, when the point has evidence either way (per-connection counts, or `serverStats.acceptedFirstHalf`). */
  starvation: starvation.optional(),
  perSecond: z.array(perSecondSample).optional(),
  serverStats: serverPointStats.optional(),
  loadStats: loadPointStats,
  /** Interrupt (softirq, irq) time over the measured phase, machine-wide or per pinned side. */
  interruptTime: pointInterruptTime.optional(),
  /** Extra figures reported by the load generator. */
  loadExtra: numbers.optional(),
  /** Idle connections asked for and how many were still open at the end of the measured phase. */
  idle: z.object({ requested: count, held: count }).optional(),
  /** What `--profile` recorded for this point (measured phase only). */
  profiles: pointProfiles.optional(),
  /** Where server and load ran when `--netns` placed them in network namespaces joined by a veth pair. */
  network: networkPlacement.optional(),
  /** When the measured phase started (after warm-up), and when it was meant to (`--start-at`). */
  measuredStart: measuredStart.optional(),
  /** A merged point: what each merged file measured, and how aligned their measured phases were. */
  merge: pointMergeSummary.optional(),
  /** The run's thresholds checked against this point (measured points of plugin servers and targets). */
  thresholds: z.array(thresholdCheck).optional(),
  /** Set on the probes of a capacity search. */
  capacityProbe: capacityProbe.optional(),
  /** When the point started (its server starting), ISO 8601. */
  startedAt: z.string(),
});
export type PointResult = z.output<typeof pointResult>;
