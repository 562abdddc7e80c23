/**
 * The plugin contracts. Every plugin has one shape, `{ kind, name, description, options, <verb> }`:
 * `options` is a Standard Schema (iobench's own plugins use zod) and is the only place defaults live.
 * A package default-exports one plugin or an array of plugins.
 * The whole contract a plugin author reads, every member documented, in one place.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type {
  EncodedHistogram,
  ErrorCounts,
  HttpProtocol,
  PerSecondSample,
  PointResult,
  ResultsFile,
  RunPlan,
} from '../results/model.js';
import type { LoadRequest } from './http-request.js';

/** Anything a plugin may log through; output appears with `DEBUG=iobench:*`. Plugins never print. */
export type PluginLogger = (formatter: string, ...args: unknown[]) => void;

/** What every plugin hook receives. */
export interface PluginContext {
  /** Debug logger namespaced `iobench:plugin:<name>`. */
  log: PluginLogger;
  /** Aborted when the run is interrupted or the point must end early; hooks must honour it. */
  signal: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

/** Counters a server reports through `stats()`. All counts are cumulative since `start`. */
export interface ServerStats {
  /** Connections accepted. */
  accepted: number;
  /** Connections refused by the server itself (fd limits, FD_SETSIZE, ...). */
  refused: number;
  /** Requests answered (any status). */
  requests: number;
  /** Errors by class, e.g. `{ reset: 3, badRequest: 1 }`. */
  errors: Record<string, number>;
  /** Syscall counts by syscall name, from the syscall layer's counters, when the server has them. */
  syscalls?: Record<string, number>;
  /** Anything else the server wants recorded (e.g. pool task counts). Numbers only. */
  extra?: Record<string, number>;
}

/** A running server, returned by `ServerPlugin.start`. */
export interface ServerHandle {
  /** Base URL clients use, e.g. `http://127.0.0.1:40123/`. IPv6 hosts in brackets. */
  url: string;
  /**
   * Stops serving and releases every resource (threads, fds, the port). Idempotent; resolves within
   * 2 s. The server host also exits its process after `stop`, so nothing can outlive a point.
   */
  stop(): Promise<void>;
  /** Current cumulative counters. Must answer promptly even while the server is saturated. */
  stats(): ServerStats | Promise<ServerStats>;
}

/** Context given to `ServerPlugin.start`. */
export interface ServerContext extends PluginContext {}

/**
 * The options iobench servers share (iobench's serving module defines them), which iobench itself sets on
 * a server — but only on a server that declares them in `ServerPlugin.commonOptions`:
 * - `host`: the address to listen on (IPv4, IPv6, or link-local IPv6 with `%iface`); set by `--netns`
 *   (the server namespace's address) and `iobench serve --host`.
 * - `port`: TCP port, 0 for a free one; set by `iobench serve --port`.
 * - `bodySize`: response body bytes; set, and swept, by `--body-size` (config `bodySize`).
 * - `work`: handler work per request, `none`, `cpu:<µs>` or `wait:<µs>`; set, and swept, by `--work`.
 * - `keepAlive`: keep connections open between requests.
 * A run that would set one on a server that does not declare it is refused before anything starts.
 */
export const COMMON_SERVER_OPTIONS = ['host', 'port', 'bodySize', 'work', 'keepAlive'] as const;

/** The name of one common server option. */
export type CommonServerOption = (typeof COMMON_SERVER_OPTIONS)[number];

/** The common options a server with options `Options` can declare: those its options have. */
export type DeclarableCommonOption<Options> = unknown extends Options
  ? CommonServerOption
  : Extract<CommonServerOption, keyof Options>;

/**
 * A server plugin: one HTTP server built on one I/O model.
 *
 * `start` runs inside a *server host* child process that core spawns for every point, never in the
 * load generator's process. The host's control channel (ready, stats, stop) runs on the host's main
 * thread, so `start` must not block that thread: blocking loops belong in a worker thread, or must
 * integrate their readiness with libuv.
 */
export interface ServerPlugin<Options = unknown> {
  kind: 'server';
  /** Unique name, used on the command line (`--server <name>`). Lower-case, kebab-case. */
  name: string;
  /** One line for `iobench list`. */
  description: string;
  /** Schema of this plugin's options; it holds every default. */
  options: StandardSchemaV1<unknown, Options>;
  /**
   * The common server options (see `COMMON_SERVER_OPTIONS`) this server takes under their common
   * names and meaning. iobench sets `bodySize`, `work` and `host` only on servers that declare them,
   * and refuses a run that would set them on one that does not. Absent: none.
   */
  commonOptions?: readonly DeclarableCommonOption<Options>[];
  /** Binds, starts serving and resolves once the server accepts connections. */
  start(ctx: ServerContext, options: Options): Promise<ServerHandle>;
}

// ---------------------------------------------------------------------------------------------
// Load generators
// ---------------------------------------------------------------------------------------------

/** The load parameters every generator honours; set by flags common to all of them. */
export interface LoadParams {
  /** Concurrent connections (closed model: each waits for its response). */
  connections: number;
  /** Length of the measured phase, in milliseconds. */
  durationMs: number;
  /** Stop after this many requests instead (whichever comes first), when set. */
  requests?: number;
  /**
   * Open model: overall requests per second, sent on a schedule independent of responses. Latency is
   * then measured from each request's intended send time. Unset = closed model.
   */
  rate?: number;
  /**
   * Open model: how requests arrive — `uniform` gaps of exactly 1/rate, or `poisson` (exponential
   * gaps drawn from `seed`: many independent users). Set whenever `rate` is.
   */
  arrivals?: 'uniform' | 'poisson';
  /** Open model: the seed of the Poisson draws (the same seed, the same schedule). */
  seed?: number;
  /**
   * Open model with a ramping rate (k6's ramping-arrival-rate): each stage ramps linearly from the
   * previous stage's rate (0 before the first) to its own over its duration; `durationMs` is their
   * sum and `rate` the highest stage's rate.
   */
  stages?: Array<{ durationMs: number; rate: number }>;
  /** Generator threads (worker threads or wrk -t). */
  threads: number;
  /** Requests in flight per connection. */
  pipelining: number;
  /** A request with no response within this many milliseconds counts as a timeout. */
  timeoutMs: number;
  /**
   * HTTP/2 over TLS (`--http2`): every connection must negotiate `h2` with ALPN — one that does not
   * fails the point with the reason, never falls back to HTTP/1.1 — and `pipelining` is the number
   * of concurrent streams on each connection. Only with an `https://` target.
   */
  http2?: boolean;
}

/** Where a load generator sends its requests, and what it sends. */
export interface LoadTarget {
  /** URL of the server, e.g. `http://127.0.0.1:40123/`: where to connect, and the path of the default GET. */
  url: string;
  /**
   * The requests to send, in order (`-X`, `-H`, `--body`, or the list of `--requests-file`). Each
   * connection cycles through the list from its first request on (with one request, every request
   * is that one). Set by iobench for every run; absent (from older callers), a GET of `url`'s path —
   * `targetRequests(target)` reads either. A generator that honours more than that GET declares
   * `supports.request` (and `supports.requestList` for more than one request).
   */
  requests?: LoadRequest[];
  /**
   * `https://` targets: how the server's certificate is checked. Absent: against the system's CAs.
   * A generator that checks certificates (declares `supports.tlsVerify`) honours both fields.
   */
  tls?: LoadTls;
}

/** Certificate checks of an `https://` target (`-k/--insecure`, `--cacert`). */
export interface LoadTls {
  /** Accept any certificate (self-signed, expired, another name), like curl -k. */
  insecure: boolean;
  /** PEM certificates to trust besides the system's (the content of `--cacert`, read by iobench). */
  ca?: string;
}

/** Progress a load generator reports while it runs (about once a second). */
export interface LoadProgress {
  /** Since the start of the phase. */
  elapsedMs: number;
  /** Completed requests so far. */
  requests: number;
  /** Errors so far, every class. */
  errors: number;
  /**
   * Latency of the requests completed since the previous report, for live displays; approximate
   * (a generator may keep coarse buckets so its hot loop stays cheap) and never recorded in results.
   * Absent when nothing completed or the generator does not keep it.
   */
  recent?: RecentLatency;
}

/** A live latency summary of a short interval, in microseconds. */
export interface RecentLatency {
  /** Requests the summary is of. */
  requests: number;
  p50Us: number;
  p99Us: number;
}

/** Context given to `LoadPlugin.run`. */
export interface LoadContext extends PluginContext {
  /** Parameters shared by all generators. */
  params: LoadParams;
  /** Called about once a second with cumulative figures. */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * CPU list the generator should run on (as for `taskset -c`), when the user pinned it. Generators
   * that spawn a process pin that process; in-process generators are pinned by core.
   */
  cpus?: string;
}

/** What a load generator measured. Core derives percentiles, rates and flags from it. */
export interface LoadResult {
  /** Completed requests (responses received, any status). Equals the latency histogram's count. */
  requests: number;
  /** Response bytes received (headers and bodies). */
  bytes: number;
  /** Measured wall time, in milliseconds. */
  durationMs: number;
  /** Errors by class. */
  errors: ErrorCounts;
  /**
   * Completed responses by HTTP status code (`{"200": 1204, "404": 88}`), summing to `requests`;
   * absent when the generator does not tell codes apart. A response outside 2xx/3xx is also counted
   * in `errors.status`.
   */
  statusCodes?: Record<string, number>;
  /** Latency of every completed request in microseconds, encoded (see `histogram/`). */
  latency: EncodedHistogram;
  /** Open model: latency measured from the actual send time (not corrected). */
  latencyUncorrected?: EncodedHistogram;
  /** Connect times in microseconds, when the generator measures them. */
  connectLatency?: EncodedHistogram;
  /** Requests completed (and, in the open model, sends offered) in each second of the measured phase. */
  perSecond?: PerSecondSample[];
  /**
   * The latency histogram split by second of the measured phase: entry `s` holds the requests that
   * completed in second `s` (as `perSecond[s]` counts them), recorded like `latency`; together they
   * add up to `latency`. Absent when the generator reports one histogram for the whole phase (wrk).
   */
  latencyPerSecond?: EncodedHistogram[];
  /** Requests completed by each connection the generator opened; absent if it cannot tell. */
  perConnection?: number[];
  /** Connections the generator opened (including reconnects). */
  connectionsOpened?: number;
  /**
   * The HTTP version its connections negotiated, as ALPN names it: `http/1.1`, or `h2` with
   * `LoadParams.http2`. Absent when the generator does not tell or opened no connection.
   */
  protocol?: HttpProtocol;
  /**
   * The I/O mechanism the generator's loop ran on, when it has a choice (native: `io_uring`, or
   * `epoll` where io_uring cannot run or was not asked for). Recorded so that a figure says what made it.
   */
  ioEngine?: string;
  /** Open model: how well the generator kept its schedule (core judges `overloaded` from it). */
  schedule?: LoadSchedule;
  /**
   * CPU time the generator used, in microseconds, when it measures it itself: a generator that ran
   * outside this process (e.g. wrk), or an in-process one that counts this process from the moment
   * its threads start (leaving their start-up out, as the native generator does). Unset, core
   * measures this process's CPU over the whole of `run`.
   */
  cpuUs?: number;
  /**
   * `cpuUs` split into user and system time, with the generator's context switches, when the
   * generator can tell (wrk: its own getrusage; native: this process's, over its threads' run).
   */
  cpuUsage?: ProcessUsage;
  /**
   * Syscalls the generator issued during the phase, by syscall (libc names: `recv`, `epoll_wait`,
   * `io_uring_enter`), when it counts them (the native generator, from the syscall layer's counters).
   */
  syscalls?: Record<string, number>;
  /** Set by the generator when it knows it was saturated (e.g. event-loop delay). */
  generatorBound?: boolean;
  /** Anything else worth recording (numbers only). */
  extra?: Record<string, number>;
}

/** CPU time and context switches of a process over a phase (what getrusage RUSAGE_SELF tells). */
export interface ProcessUsage {
  userCpuUs: number;
  systemCpuUs: number;
  /** The process's threads blocked (e.g. in a wait for I/O); absent when unknown. */
  voluntaryCtxSwitches?: number;
  /** The process's threads were preempted; absent when unknown. */
  involuntaryCtxSwitches?: number;
}

/** What an open-model load reports of its schedule. */
export interface LoadSchedule {
  /** The target rate, requests per second (the highest stage's, with stages). */
  targetRate: number;
  /** Sends the schedule intended within the measured phase (with Poisson arrivals, drawn). */
  offered?: number;
  /**
   * The generator's send precision, microseconds: a send later than this after its intended time is
   * late. Absent: 1,000 (1 ms).
   */
  lateAfterUs?: number;
  /** Sends that went out more than `lateAfterUs` after their intended time. */
  lateSends: number;
  /** Sends that were due more than `lateAfterUs` before the end of the phase and never went out. */
  droppedSends: number;
  /** Actual minus intended send time of every send, microseconds, encoded like `latency`. */
  sendLag?: EncodedHistogram;
}

/**
 * What a load generator can honour beyond what every generator does — the closed model for a
 * duration, on one thread, one request in flight per connection, to an `http://` URL. Before any
 * server starts, a run that asks for something its generator does not declare `true` is refused,
 * naming the generator, the setting and the generators that do support it.
 */
export interface LoadSupports {
  /** The open model: `--rate` (`LoadParams.rate`), latency corrected for coordinated omission. */
  rate?: boolean;
  /** Open-model extras: Poisson arrivals (`LoadParams.arrivals`) and a ramping rate (`LoadParams.stages`). */
  arrivals?: boolean;
  /** Stopping after a request count: `--requests` (`LoadParams.requests`). */
  requests?: boolean;
  /** More than one request in flight per connection: `--pipelining` above 1. */
  pipelining?: boolean;
  /** More than one generator thread: `--threads` above 1. */
  threads?: boolean;
  /** `https://` targets (`--target`, anchors). */
  tls?: boolean;
  /** HTTP/2 over TLS, negotiated with ALPN: `--http2` (`LoadParams.http2`). */
  http2?: boolean;
  /**
   * Certificates checked as `LoadTarget.tls` says: refused when untrusted, unless `insecure`; the
   * `ca` trusted besides the system's (`--cacert`). A generator with `tls` but not this one never
   * checks certificates — as if `--insecure` were always given (wrk).
   */
  tlsVerify?: boolean;
  /** Requests other than a GET of the URL: `LoadTarget.requests` with a method, headers, a body, another path. */
  request?: boolean;
  /** More than one request, cycled per connection (`--requests-file`). */
  requestList?: boolean;
}

/** The name of one thing a load generator can declare it supports. */
export type LoadCapability = keyof LoadSupports;

/**
 * A load generator plugin. `run` drives load at `target` for `ctx.params`, honours `ctx.signal`
 * (resolves with what it measured so far when aborted), never prints, and bounds its traffic in
 * time and count.
 */
export interface LoadPlugin<Options = unknown> {
  kind: 'load';
  name: string;
  description: string;
  options: StandardSchemaV1<unknown, Options>;
  /**
   * What this generator honours beyond the baseline (see `LoadSupports`); absent, the baseline only.
   * `run` is only ever called with parameters it declares, so it need not refuse the others itself.
   */
  supports?: LoadSupports;
  run(ctx: LoadContext, target: LoadTarget, options: Options): Promise<LoadResult>;
}

// ---------------------------------------------------------------------------------------------
// Reporters
// ---------------------------------------------------------------------------------------------

/** Context given to reporters. Reporters own stdout and the files they write. */
export interface ReporterContext extends PluginContext {
  /** Where reporters write human output. */
  stdout: NodeJS.WritableStream;
  /** The run's output directory; reporters write their files here. */
  outDir: string;
  /**
   * The directory holding the run's results.json; paths recorded in results (e.g. profiles) are
   * relative to it. The same as `outDir` during a run; `iobench report --out` may differ.
   */
  resultsDir: string;
  /** True with `--json`: only machine output on stdout. */
  json: boolean;
}

/** The hooks a reporter instance may implement. Every hook is optional. */
export interface ReporterHooks {
  /** Before the first point, with the plan. */
  onRunStart?(plan: RunPlan): void | Promise<void>;
  /** After each point (measured, failed or interrupted). */
  onPointEnd?(point: PointResult): void | Promise<void>;
  /** After the run (or when re-rendering a saved results file with `iobench report`). */
  onRunEnd?(results: ResultsFile): void | Promise<void>;
}

/** A reporter plugin. `create` is called once per run and returns the hooks for that run. */
export interface ReporterPlugin<Options = unknown> {
  kind: 'reporter';
  name: string;
  description: string;
  options: StandardSchemaV1<unknown, Options>;
  create(ctx: ReporterContext, options: Options): ReporterHooks | Promise<ReporterHooks>;
}

export type AnyPlugin = ServerPlugin<any> | LoadPlugin<any> | ReporterPlugin<any>;
export type PluginKind = AnyPlugin['kind'];

/** Typed identity helper for server plugins. */
export function defineServerPlugin<O>(plugin: Omit<ServerPlugin<O>, 'kind'>): ServerPlugin<O> {
  return { kind: 'server', ...plugin };
}

/** Typed identity helper for load plugins. */
export function defineLoadPlugin<O>(plugin: Omit<LoadPlugin<O>, 'kind'>): LoadPlugin<O> {
  return { kind: 'load', ...plugin };
}

/** Typed identity helper for reporter plugins. */
export function defineReporterPlugin<O>(plugin: Omit<ReporterPlugin<O>, 'kind'>): ReporterPlugin<O> {
  return { kind: 'reporter', ...plugin };
}

/** File descriptors a process needs beyond its connections (stdio, listeners, epoll, pipes...): what a load generator or a server adds to its connections when it checks `ulimit -n`. */
export const FD_HEADROOM = 64;
