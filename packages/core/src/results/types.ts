/**
 * The results model: what `iobench run` writes to `<out>/results.json` and what `report`, `compare`
 * and reporters read back. Bump `RESULTS_SCHEMA_VERSION` on any incompatible change.
 * This file is over 300 lines on purpose: one documented type per part of one JSON document, kept
 * together so the file reads as the document's reference; `schema.ts` checks it part by part.
 */

export const RESULTS_SCHEMA_VERSION = 1;

/**
 * An HDR histogram in HdrHistogram's compressed V2 encoding, base64 (what
 * `encodeIntoCompressedBase64` of hdr-histogram-js produces). Values are microseconds, 3 significant
 * digits. Histograms encoded this way merge losslessly across threads, runs and hosts.
 */
export type EncodedHistogram = string;

/** Error classes every load generator maps its failures to. */
export interface ErrorCounts {
  /** Could not connect (refused, unreachable). */
  connect: number;
  /** Failed reading a response. */
  read: number;
  /** Failed writing a request. */
  write: number;
  /** No response within the timeout. */
  timeout: number;
  /** Connection reset by the server. */
  reset: number;
  /** Response with a status outside 2xx/3xx. */
  status: number;
  /** Response that could not be parsed as HTTP. */
  parse: number;
  /**
   * TLS handshake failed (an untrusted or expired certificate, a name mismatch, a protocol error).
   * Added after the others: files written before it read back with 0.
   */
  tls: number;
}

export const ERROR_CLASSES = ['connect', 'read', 'write', 'timeout', 'reset', 'status', 'parse', 'tls'] as const;

/** Requests completed in one second of the measured phase. */
export interface PerSecondSample {
  /** Seconds since the start of the measured phase (0, 1, 2, ...). */
  second: number;
  requests: number;
  errors: number;
  /** Open model: the sends the schedule intended in this second — the offered load. */
  offered?: number;
  /** Open model: of those, the sends that went out more than 1 ms late, or never. */
  late?: number;
  /**
   * Latency of the requests that completed in this second; absent when the load generator reports
   * one histogram for the whole phase (wrk) or nothing completed in it.
   */
  latencyUs?: LatencySummary;
}

/** Latency summary in microseconds plus the encoded histogram it was computed from. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  p99_99: number;
  max: number;
  min: number;
  mean: number;
  stddev: number;
  /** The encoded histogram; its total count equals the point's `requests`. */
  hdr: EncodedHistogram;
}

/** The parameters that identify a point in a plan. */
export interface PointParams {
  connections: number;
  durationMs: number;
  warmupMs: number;
  threads: number;
  pipelining: number;
  timeoutMs: number;
  /** Open model: requests per second (the highest stage's, with `stages`). */
  rate?: number;
  /** Open model: how requests arrived (uniform gaps, or Poisson with `seed`). */
  arrivals?: 'uniform' | 'poisson';
  /** Open model with Poisson arrivals: the seed of the draws, to reproduce the schedule. */
  seed?: number;
  /** Open model with a ramping rate: each stage ramps from the previous stage's rate (0 first) to its own. */
  stages?: RateStage[];
  requests?: number;
  /** Idle keep-alive connections held open during the measured phase. */
  idleConnections: number;
  /** Response body bytes, when the plan sets it for every server. */
  bodySize?: number;
  /** Handler work (`none`, `cpu:<µs>`, `wait:<µs>`), when the plan sets it for every server. */
  work?: string;
}

/** One stage of a ramping arrival rate (`--stages 10s:1000,30s:50000`). */
export interface RateStage {
  durationMs: number;
  /** Requests per second reached at the end of the stage. */
  rate: number;
}

/**
 * How well an open-model point kept its schedule, and the verdict on it. An `overloaded` point
 * could not send on time: its latency describes the queue inside the generator, not the server.
 */
export interface PointSchedule {
  /** The target rate, requests per second (the highest stage's, with stages). */
  targetRate: number;
  /** Requests completed per second of the measured phase. */
  achievedRate: number;
  /** Sends the schedule intended within the measured phase (Poisson draws vary around target × duration). */
  offered?: number;
  /** Sends that went out more than 1 ms after their intended time. */
  lateSends: number;
  /** Sends due more than 1 ms before the end of the phase that never went out. */
  droppedSends: number;
  /** Actual minus intended send time: the generator's own share of the corrected latency. */
  sendLagUs?: LatencySummary;
  /** The schedule could not be kept (results/verdicts.ts says when); earlier files read as false. */
  overloaded: boolean;
  /** Why, in words, when overloaded. */
  overloadReason?: string;
}

/** A parameter the plan sweeps (takes more than one value), in plan order. */
export interface SweepDimension {
  key: SweepKey;
  values: Array<number | string>;
}

/** The run parameters a plan can sweep. */
export type SweepKey = 'connections' | 'threads' | 'rate' | 'idleConnections' | 'bodySize' | 'work';

/** Per-connection completion counts: how evenly the server served the connections. */
export interface PerConnectionSummary {
  /** Connections the generator reported on. */
  connections: number;
  min: number;
  max: number;
  mean: number;
  /** Connections that completed no request at all: starved. */
  starved: number;
  /** Every connection's count, in the generator's order. */
  counts: number[];
}

/**
 * Connections the server left waiting through the measured phase (head-of-line starvation), judged
 * when the point was assembled from the best evidence it had (results/verdicts.ts).
 */
export interface Starvation {
  /** Connections that waited: they completed no request, or had not been accepted halfway through. */
  starved: number;
  /** Connections the generator held open. */
  connections: number;
  /**
   * What showed it: `perConnection`, the generator's per-connection completion counts; or
   * `acceptedFirstHalf`, the connections the server had accepted halfway through the measured phase
   * (for generators without per-connection counts, such as wrk).
   */
  seenIn: 'perConnection' | 'acceptedFirstHalf';
}

/** What core measured about the server process during the measured phase (deltas). */
export interface ServerPointStats {
  /** Server process CPU (user + system) in microseconds, all threads. */
  cpuUs: number;
  userCpuUs: number;
  systemCpuUs: number;
  cpuUsPerRequest: number;
  /** User-space CPU microseconds per request (the server's own code, Node, libc). */
  userCpuUsPerRequest?: number;
  /** Kernel CPU microseconds per request (syscalls, TCP stack, scheduling). */
  systemCpuUsPerRequest?: number;
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
  ctxSwitches: number;
  ctxSwitchesPerRequest: number;
  /** Voluntary context switches (the thread blocked, e.g. in a syscall) per request. */
  voluntaryCtxSwitchesPerRequest?: number;
  /** Involuntary context switches (preempted) per request. */
  involuntaryCtxSwitchesPerRequest?: number;
  /** Server-side counters (deltas), from the plugin's `stats()`. */
  accepted: number;
  /**
   * Connections accepted in the first half of the measured phase. Below the generator's connection
   * count, the server left connections waiting (e.g. a blocking server with keep-alive).
   */
  acceptedFirstHalf?: number;
  refused: number;
  requests: number;
  errors: Record<string, number>;
  syscalls?: Record<string, number>;
  syscallsPerRequest?: Record<string, number>;
  extra?: Record<string, number>;
}

/** What core measured about the load generator. */
export interface LoadPointStats {
  cpuUs: number;
  cpuUsPerRequest: number;
  /** True when the generator, not the server, was the bottleneck for this point. */
  generatorBound: boolean;
  /** Why it was flagged, in words. */
  generatorBoundReason?: string;
  connectionsOpened?: number;
  connectLatencyUs?: LatencySummary;
}

/** An error as results record it: its code, its message and the plugin it is blamed on. */
export interface FailureRecord {
  code: string;
  message: string;
  plugin?: string;
}

/** What a threshold measures: a latency percentile (µs), req/s, an error count or share (%), server CPU µs per request. */
export type ThresholdMetric =
  | 'p50'
  | 'p90'
  | 'p99'
  | 'p99_9'
  | 'p99_99'
  | 'max'
  | 'mean'
  | 'rps'
  | 'errors'
  | 'errorRate'
  | 'cpuPerRequest'
  | 'dropped'
  | 'late';

/** How a threshold compares the measured value with its limit. */
export type ThresholdOp = '<' | '<=' | '>' | '>=';

/** One threshold (`--threshold p99<10ms`) checked against one point. */
export interface ThresholdCheck {
  /** As written: `p99<10ms`. */
  threshold: string;
  metric: ThresholdMetric;
  op: ThresholdOp;
  /** The limit in the metric's unit: µs for latency and CPU, req/s, a count, or a percentage. */
  limit: number;
  /** The point's value in the same unit; absent when the point does not have the metric. */
  value?: number;
  pass: boolean;
  /**
   * Why the check says little here, when it does: a latency limit the generator's own send lag
   * takes half of or more (`the generator's own p99 send lag is 1.40ms: p99<1ms cannot be judged`).
   */
  caution?: string;
}

/** A point measured as one probe of a capacity search (`--find-capacity`). */
export interface CapacityProbe {
  /** The search it belongs to: the point id without rate and repeat, e.g. `epoll/native/c64`. */
  search: string;
  /**
   * `saturation`: the closed-model probe that bounds the search; `search`: bracketing and bisecting
   * the open-model rate; `repeat`: a refinement round that gives the answer its interval.
   */
  phase: 'saturation' | 'search' | 'repeat';
  /** The refinement round (0-based), for `repeat` probes. */
  round?: number;
  /** The probe met every SLO, kept its schedule and did not saturate the generator. */
  pass: boolean;
  /** Why it did not pass, in words. */
  reason?: string;
}

/** What a capacity search found for one server (or target) under one load and parameter set. */
export interface CapacityResult {
  /** The search, as its probes name it: `epoll/native/c64`. */
  search: string;
  server: string;
  anchor?: boolean;
  load: string;
  /** The parameters every probe shares (rate aside). */
  params: PointParams;
  /** The SLOs each probe had to meet, as written. */
  slo: string[];
  /**
   * `found`: a highest passing rate; `generator-bound`: the generator saturated before the SLO broke
   * (capacity is above `rate`); `none`: even the lowest rate probed missed the SLO; `failed` or
   * `interrupted`: the search did not finish.
   */
  outcome: 'found' | 'generator-bound' | 'none' | 'failed' | 'interrupted';
  /** The capacity, requests per second: the median of the rounds' estimates. */
  rate?: number;
  /** The lowest and highest estimate of the refinement rounds. */
  low?: number;
  high?: number;
  /** Each refinement round's highest passing rate. */
  estimates: number[];
  /** Closed-model throughput at the same connections: the ceiling the search started from. */
  saturationRps?: number;
  /** Probes measured. */
  probes: number;
  /** The answer in words: `41,800 req/s at p99<1ms (40,900–42,500, 3 repeats)`. */
  summary: string;
}

/** One measured point: one server (or target) x one load x one parameter set x one repeat. */
export interface PointResult {
  /** Stable id within the run, e.g. `node/undici/c8/r0`. */
  id: string;
  /** Server plugin name, the anchor's name, or `target` when measuring an external URL. */
  server: string;
  /** True for an anchor: a server the user started, measured for comparison. */
  anchor?: boolean;
  load: string;
  /** The URL that was measured. */
  target: string;
  params: PointParams;
  /** 0-based repeat index. */
  repeat: number;
  serverOptions: Record<string, unknown>;
  loadOptions: Record<string, unknown>;
  status: 'ok' | 'failed' | 'interrupted';
  /** Why the point failed, when it did. */
  error?: FailureRecord;
  requests: number;
  bytes: number;
  durationMs: number;
  rps: number;
  errors: ErrorCounts;
  latencyUs: LatencySummary;
  /** Open model: latency from the actual send time, uncorrected for coordinated omission. */
  latencyUncorrectedUs?: LatencySummary;
  schedule?: PointSchedule;
  perConnection?: PerConnectionSummary;
  /** Starvation, when the point has evidence either way (per-connection counts, or `serverStats.acceptedFirstHalf`). */
  starvation?: Starvation;
  perSecond?: PerSecondSample[];
  serverStats?: ServerPointStats;
  loadStats: LoadPointStats;
  /** Extra figures reported by the load generator. */
  loadExtra?: Record<string, number>;
  /** Idle connections asked for and how many were still open at the end of the measured phase. */
  idle?: { requested: number; held: number };
  /** What `--profile` recorded for this point (measured phase only). */
  profiles?: PointProfiles;
  /** Where server and load ran when `--netns` placed them in network namespaces joined by a veth pair. */
  network?: NetworkPlacement;
  /** When the measured phase started (after warm-up), and when it was meant to (`--start-at`). */
  measuredStart?: MeasuredStart;
  /** A merged point: what each merged file measured, and how aligned their measured phases were. */
  merge?: PointMergeSummary;
  /** The run's thresholds checked against this point (measured points of plugin servers and targets). */
  thresholds?: ThresholdCheck[];
  /** Set on the probes of a capacity search. */
  capacityProbe?: CapacityProbe;
  /** When the point started (its server starting), ISO 8601. */
  startedAt: string;
}

/** The start of a point's measured phase, by this host's clock. */
export interface MeasuredStart {
  /** When the measured phase started (ISO 8601). */
  at: string;
  /** The instant it was scheduled for (`iobench run --start-at`), when it was. */
  intendedAt?: string;
  /** `at` minus `intendedAt` in milliseconds, to 0.01 ms: positive when it started late. */
  offsetMs?: number;
}

/** One merged file's share of a merged point. */
export interface PointMergePart {
  /** The results file, as given to `iobench merge`. */
  file: string;
  hostname: string;
  /** Its shard index, for the files of a sharded run (`--shard i/N`). */
  shard?: number;
  connections: number;
  requests: number;
  rps: number;
  /** When its measured phase started, when the file records it. */
  measuredStart?: MeasuredStart;
}

/** How a merged point was put together. */
export interface PointMergeSummary {
  /** Every merged file's share, in the order they were given (shard order for a sharded run). */
  parts: PointMergePart[];
  /**
   * Latest minus earliest start of the parts' measured phases in milliseconds (by each host's own
   * clock), when every part records it: how well the hosts' load overlapped.
   */
  startSkewMs?: number;
}

/** A profiler `--profile` can attach to the server host. */
export type ProfileKind = 'perf' | 'strace' | 'offcpu';

/** Profiles of one point. File paths are relative to the directory holding results.json. */
export interface PointProfiles {
  perf?: {
    /** Folded stacks (`frame;frame;... count` per line; `_[k]` kernel, `_[j]` JavaScript): for speedscope, inferno, FlameGraph. */
    folded: string;
    /** Static flame graph (FlameGraph layout, tooltips in `<title>`). */
    svg: string;
    samples: number;
    frequencyHz: number;
    event: string;
  };
  /** Off-CPU flame graph: where the server's threads waited (`perf record -e sched:sched_switch`). */
  offcpu?: {
    /** Folded stacks weighted in microseconds off the CPU (`[preempted]`, `[new thread: …]` leaves mark waits for a CPU). */
    folded: string;
    svg: string;
    /** Microseconds off the CPU, all threads of the server host together. */
    offCpuUs: number;
    /** Switches out paired with a switch back in. */
    switches: number;
    event: string;
  };
  strace?: {
    /** strace's own `-c` table. */
    file: string;
    /** Counts by syscall, every thread of the server host (Node's own syscalls included). */
    syscalls: Record<string, { calls: number; errors: number; seconds: number }>;
    /** `calls` divided by the requests of the point (which strace slows down a lot). */
    callsPerRequest: Record<string, number>;
  };
}

/** Network namespaces of a `--netns` point. */
export interface NetworkPlacement {
  family: 'ipv6' | 'ipv4';
  serverNamespace: string;
  loadNamespace: string;
  /** Interface and address the server listened on, e.g. `iob0`, `fe80::1%iob0`. */
  serverInterface: string;
  serverAddress: string;
  /** Interface and address the load generator sent from, e.g. `iob1`, `fe80::2%iob1`. */
  loadInterface: string;
  loadAddress: string;
}

/** Environment the run was measured in. */
export interface RunEnvironment {
  hostname: string;
  platform: string;
  arch: string;
  kernel: string;
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  node: string;
  iobench: string;
  gitCommit?: string;
  /** Versions of external tools used (wrk, perf, ...), where found. */
  tools: Record<string, string>;
  /** CPU lists the server and load were pinned to, when they were. */
  pinning: { serverCpus?: string; loadCpus?: string };
  /** `ulimit -n` soft limit of the iobench process. */
  fdLimit?: number;
}

/** The run's plan, as resolved from config: what was asked for. */
export interface RunPlan {
  servers: string[];
  target?: string;
  /** Externally started servers measured alongside the plugins (e.g. nginx), by name. */
  anchors?: Array<{ name: string; url: string }>;
  /** The first load generator of `loads` (the only one, in files written before `loads`). */
  load: string;
  /** Every load generator the plan crosses with the servers; each point names its own. */
  loads?: string[];
  connections: number[];
  durationMs: number;
  warmupMs: number;
  repeat: number;
  threads: number[];
  pipelining: number;
  timeoutMs: number;
  rate?: number[];
  /** Open model: how requests arrive. */
  arrivals?: 'uniform' | 'poisson';
  /** Open model with Poisson arrivals: the seed of the draws. */
  seed?: number;
  /** Open model with a ramping rate. */
  stages?: RateStage[];
  /** `--find-capacity`: the SLOs, and how each search probes. */
  findCapacity?: CapacityPlan;
  requests?: number;
  idleConnections: number[];
  bodySize?: number[];
  work?: string[];
  /** The parameters that take more than one value: what reports plot against. */
  sweep: SweepDimension[];
  /** Thresholds every measured point is checked against (`--threshold`), as written. */
  thresholds?: string[];
  serverOptions: Record<string, Record<string, unknown>>;
  /** The options of `load`, the first load generator; every point records its own generator's. */
  loadOptions: Record<string, unknown>;
  /** Number of points the plan runs (servers x loads x swept values x repeats). */
  pointCount: number;
}

/** How a capacity search probes (`--find-capacity`). */
export interface CapacityPlan {
  /** SLOs every passing probe meets, as written (`p99<5ms`). */
  slo: string[];
  /** Each probe's measured phase, milliseconds (its warm-up is the plan's). */
  probeDurationMs: number;
  /** Refinement rounds that give the answer its interval. */
  rounds: number;
}

/** The values of a plan that `--shard` splits, as the whole plan has them (before splitting). */
export interface ShardTotals {
  connections: number[];
  idleConnections: number[];
  rate?: number[];
  requests?: number;
}

/** A run that measured one shard of a plan (`iobench run --shard i/N`). */
export interface ShardRecord {
  /** This shard, 0 to `count` - 1. */
  index: number;
  /** How many shards the plan was split into. */
  count: number;
  /** The plan's totals: the shares of all `count` shards add up to these exactly. */
  totals: ShardTotals;
}

/** The whole results file. */
export interface ResultsFile {
  schemaVersion: number;
  createdAt: string;
  finishedAt?: string;
  /**
   * `running` while points are still being written; then `complete`, `interrupted` (Ctrl-C), or
   * `failed` (every point failed, or the run stopped on an error). A file left `running` belongs to a
   * run still going or killed outright.
   */
  status: 'running' | 'complete' | 'interrupted' | 'failed';
  /** The error that stopped the run, when one did (a plugin that threw, a server that would not start). */
  error?: FailureRecord;
  env: RunEnvironment;
  /** The plan this run measured (for a shard: its own share of connections, rate and requests). */
  plan: RunPlan;
  /** Present when this run measured one shard of a plan; `plan` then holds the shard's share. */
  shard?: ShardRecord;
  points: PointResult[];
  /** `--find-capacity`: what each search found; its probes are among `points`. */
  capacity?: CapacityResult[];
}
