/**
 * The run orchestrator: validates everything, then measures each planned point — start the server
 * in its own host process, wait until it serves, warm up, measure, collect, stop — writing the
 * results file atomically after every point so an interrupted run keeps what it finished.
 *
 * Over 300 lines, for now: preflight, the reporter hub and measurePoint still share this file; they
 * are being split into preflight / measure-point / reporter-hub modules (issue 12, the orchestrator
 * step), which is why placement and the common options moved out without reshaping what is left.
 */
import { join } from 'node:path';
import createDebug from 'debug';
import type { Config } from '../config/schema.js';
import { captureEnvironment } from '../env/capture.js';
import { openFilesAdvice } from '../env/open-files.js';
import { ConfigError, InterruptedError, IobenchError, PluginError } from '../errors.js';
import { prepareOutDir } from '../output/index.js';
import type { LoadPlugin, LoadProgress, ReporterHooks, ReporterPlugin, ServerPlugin } from '../plugin/contract.js';
import { validatePluginOptions } from '../plugin/options.js';
import type { PluginRegistry, ResolvedPlugin } from '../plugin/resolve.js';
import { writeResultsFile } from '../results/file.js';
import { assemblePoint, failedPoint, serverDelta } from '../results/point.js';
import {
  type MeasuredStart,
  type PointResult,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  type ShardRecord,
} from '../results/types.js';
import { openIdleConnections } from './idle-connections.js';
import {
  checkPlacement,
  NO_PLACEMENT,
  type PlacedNetwork,
  type Placement,
  type PointProfilerHandle,
} from './placement.js';
import { describePlan, type PlannedPoint, planPoints } from './plan.js';
import { pointServerOptions } from './point-server-options.js';
import { ServerProcess, type ServerSnapshot } from './server-process.js';
import { checkTargetReachable } from './target.js';

const debug = createDebug('iobench:run');

export interface RunOptions {
  config: Config;
  registry: PluginRegistry;
  /**
   * Directory results.json and reporter files are written to (`--out`); absent, a new
   * `iobench-results/<timestamp>`. Created and probed before anything starts.
   */
  outDir?: string;
  /** `--force`: write into an `outDir` that already holds files (an earlier run's). */
  force?: boolean;
  stdout: NodeJS.WritableStream;
  /** `--json`: machine output only. */
  json?: boolean;
  /** Aborting stops the run: the current point is dropped, finished points are kept. */
  signal?: AbortSignal;
  /** Live progress of the current point, for progress displays. */
  onProgress?: (event: { point: PlannedPoint; index: number; total: number; progress: LoadProgress }) => void;
  /** Called when a point ends, before reporters hear of it (e.g. to clear a progress line). */
  onPointEnd?: (point: PointResult) => void;
  /** Pinning, network namespaces and profilers; without it, a run that asks for them is refused. */
  placement?: Placement;
  /**
   * Awaited after a point's warm-up, right before its measured phase (`--start-at` waits here for an
   * instant shared with other load hosts). The instant it returns is recorded as the point's intended
   * start, next to the actual one. Rejecting fails the run, unless the run was aborted.
   */
  beforeMeasure?: (point: PlannedPoint, index: number) => Promise<Date | undefined>;
  /** `--shard`: this run measures one shard of a plan; recorded in the results file. */
  shard?: ShardRecord;
}

export interface RunOutcome {
  results: ResultsFile;
  resultsPath: string;
}

interface PreparedLoad {
  resolved: ResolvedPlugin<LoadPlugin>;
  options: Record<string, unknown>;
}

interface PreparedServer {
  resolved: ResolvedPlugin<ServerPlugin>;
  /** The options configured for this server (before the plan's swept bodySize/work). */
  options: Record<string, unknown>;
}

export async function runBenchmark(opts: RunOptions): Promise<RunOutcome> {
  const { config, registry } = opts;
  const signal = opts.signal ?? new AbortController().signal;
  const placer = opts.placement ?? NO_PLACEMENT;

  // Everything is resolved and validated before anything is spawned.
  const servers = new Map<string, PreparedServer>();
  if (!config.target) {
    for (const name of config.server) {
      const resolved = await registry.resolve('server', name);
      servers.set(name, {
        resolved,
        options: await validatePluginOptions(resolved.plugin, config.serverOptions[name] ?? {}),
      });
    }
  }
  await checkServerOptionNames(config, registry);
  if (config.target && (config.bodySize || config.work)) {
    throw new ConfigError('bodySize and work set options of servers iobench starts; they cannot apply to --target');
  }
  const loads = new Map<string, PreparedLoad>();
  for (const name of config.load) {
    const resolved = await registry.resolve('load', name);
    loads.set(name, {
      resolved,
      options: await validatePluginOptions(resolved.plugin, config.loadOptions[name] ?? {}),
    });
  }
  const reporters: Array<{ plugin: ReporterPlugin; options: Record<string, unknown> }> = [];
  for (const name of config.reporter) {
    const resolved = await registry.resolve('reporter', name);
    reporters.push({
      plugin: resolved.plugin,
      options: await validatePluginOptions(resolved.plugin, config.reporterOptions[name] ?? {}),
    });
  }
  checkFdLimit(config);
  await checkPlacement(config, placer);
  if (config.target) await checkTargetReachable(config.target);
  else for (const anchor of config.anchors) await checkTargetReachable(anchor.url);

  const points = planPoints(config);
  // Validate every point's server options (the plan may sweep bodySize and work) before spawning;
  // a server that does not declare a common option the run sets is refused here.
  // --netns: every server listens on the server end of the veth pair.
  const placedHost = config.netns ? placer.serverHost(config.netns) : undefined;
  const pointOptions = new Map<string, Record<string, unknown>>();
  for (const point of points) {
    const server = point.server ? servers.get(point.server) : undefined;
    if (server)
      pointOptions.set(
        point.id,
        await validatePluginOptions(
          server.resolved.plugin,
          pointServerOptions(
            server.resolved.plugin,
            config.serverOptions[point.server!] ?? {},
            point.params,
            placedHost,
          ),
        ),
      );
  }
  // Last of the checks, as it creates the directory: a run refused earlier leaves nothing behind.
  const outDir = await prepareOutDir({ dir: opts.outDir, force: opts.force });
  const plan = describePlan(
    config,
    points,
    Object.fromEntries([...servers].map(([name, s]) => [name, s.options])),
    loads.get(config.load[0]!)?.options ?? {},
  );
  const resultsPath = join(outDir, 'results.json');
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    status: 'running',
    env: await captureEnvironment({ serverCpus: config.serverCpus, loadCpus: config.loadCpus }),
    plan,
    ...(opts.shard ? { shard: opts.shard } : {}),
    points: [],
  };
  if (config.loadCpus) await placer.pinProcess(process.pid, config.loadCpus);

  const hooks: Array<{ name: string; hooks: ReporterHooks }> = [];
  for (const { plugin, options } of reporters) {
    const ctx = {
      log: createDebug(`iobench:plugin:${plugin.name}`),
      signal,
      stdout: opts.stdout,
      outDir,
      resultsDir: outDir,
      json: Boolean(opts.json),
    };
    hooks.push({
      name: plugin.name,
      hooks: await callPlugin(plugin.name, 'create', () => plugin.create(ctx, options)),
    });
  }
  const notify = async <K extends keyof ReporterHooks>(hook: K, arg: Parameters<NonNullable<ReporterHooks[K]>>[0]) => {
    for (const { name, hooks: h } of hooks) {
      const fn = h[hook] as ((a: typeof arg) => unknown) | undefined;
      if (fn) await callPlugin(name, hook, () => fn.call(h, arg));
    }
  };

  await writeResultsFile(resultsPath, results);
  const placement = config.netns ? await placer.createNetwork(config.netns) : undefined;
  try {
    await notify('onRunStart', plan);

    for (const [index, point] of points.entries()) {
      if (signal.aborted) break;
      const server = point.server ? servers.get(point.server) : undefined;
      const serverOptions = pointOptions.get(point.id) ?? {};
      const load = loads.get(point.load)!;
      const result = await measurePoint({
        point,
        index,
        total: points.length,
        server,
        serverOptions,
        load: load.resolved,
        loadOptions: load.options,
        opts,
        outDir,
        signal,
        placement,
      });
      if (result.status === 'interrupted') break;
      results.points.push(result);
      await writeResultsFile(resultsPath, results);
      opts.onPointEnd?.(result);
      await notify('onPointEnd', result);
    }
  } finally {
    await placement?.destroy();
  }

  results.finishedAt = new Date().toISOString();
  const failed = results.points.filter((p) => p.status === 'failed');
  results.status = signal.aborted ? 'interrupted' : failed.length === points.length ? 'failed' : 'complete';
  await writeResultsFile(resultsPath, results);
  await notify('onRunEnd', results);

  if (signal.aborted) {
    throw new InterruptedError(`run interrupted; ${results.points.length} finished point(s) kept in ${resultsPath}`);
  }
  if (failed.length > 0) {
    throw new IobenchError(
      'IOBENCH_POINTS_FAILED',
      `${failed.length} of ${points.length} point(s) failed (results in ${resultsPath}):\n  ${failed.map((p) => `${p.id}: ${p.error?.message}`).join('\n  ')}`,
    );
  }
  return { results, resultsPath };
}

interface MeasurePointInput {
  point: PlannedPoint;
  index: number;
  total: number;
  server?: PreparedServer;
  /** This point's validated server options. */
  serverOptions: Record<string, unknown>;
  load: ResolvedPlugin<LoadPlugin>;
  loadOptions: Record<string, unknown>;
  opts: RunOptions;
  /** The prepared output directory (profiles go under it). */
  outDir: string;
  signal: AbortSignal;
  /** --netns: the namespaces server and load run in. */
  placement?: PlacedNetwork;
}

async function measurePoint(input: MeasurePointInput): Promise<PointResult> {
  const { point, server, serverOptions, load, loadOptions, opts, outDir, signal, placement } = input;
  const { config } = opts;
  const placer = opts.placement ?? NO_PLACEMENT;
  const serverCpus = config.serverCpus;
  const base = {
    id: point.id,
    server: point.server ?? point.anchor?.name ?? 'target',
    ...(point.anchor ? { anchor: true } : {}),
    load: point.load,
    target: point.anchor?.url ?? config.target ?? '',
    params: point.params,
    repeat: point.repeat,
    serverOptions,
    loadOptions,
    startedAt: new Date().toISOString(),
  };
  debug('point %s: start', point.id);
  let host: ServerProcess | undefined;
  let idle: Awaited<ReturnType<typeof openIdleConnections>> | undefined;
  let profiler: PointProfilerHandle | undefined;
  // --netns: everything the load side opens (connections, threads, wrk) is created in the load namespace.
  const loadSide = <T>(fn: () => Promise<T>): Promise<T> => (placement ? placement.inLoadNamespace(fn) : fn());
  // Aborted when the run is interrupted or the server dies, so the load stops at once.
  const pointAbort = new AbortController();
  const onRunAbort = () => pointAbort.abort();
  signal.addEventListener('abort', onRunAbort, { once: true });
  try {
    if (server) {
      host = await ServerProcess.start({
        moduleUrl: server.resolved.moduleUrl,
        plugin: server.resolved.plugin.name,
        options: serverOptions,
        pin: serverCpus ? (pid) => placer.pinProcess(pid, serverCpus) : undefined,
        extraExecArgv: placer.profilerNodeFlags(config.profile),
        forkWithin: placement ? (fork) => placement.inServerNamespace(fork) : undefined,
      });
      base.target = placement ? placement.loadUrl(host.url) : host.url;
      void host.exited.then(() => {
        if (host?.diedUnexpectedly) pointAbort.abort();
      });
    }
    const runLoad = (durationMs: number, requests: number | undefined, reportProgress: boolean) => {
      const ctx = {
        log: createDebug(`iobench:plugin:${load.plugin.name}`),
        signal: pointAbort.signal,
        params: { ...point.params, durationMs, requests },
        cpus: config.loadCpus,
        onProgress:
          reportProgress && opts.onProgress
            ? (progress: LoadProgress) => opts.onProgress?.({ point, index: input.index, total: input.total, progress })
            : undefined,
      };
      return loadSide(() =>
        callPlugin(load.plugin.name, 'run', () => load.plugin.run(ctx, { url: base.target }, loadOptions)),
      );
    };

    if (host && config.profile.length > 0)
      profiler = await placer.attachProfiler({
        kinds: config.profile,
        pid: host.pid,
        outDir,
        pointId: point.id,
      });
    if (point.params.idleConnections > 0)
      idle = await loadSide(() => openIdleConnections(base.target, point.params.idleConnections));
    if (point.params.warmupMs > 0) await runLoad(point.params.warmupMs, undefined, false);
    if (signal.aborted)
      return failedPoint(base, 'interrupted', { code: 'IOBENCH_INTERRUPTED', message: 'interrupted' });
    if (host?.diedUnexpectedly) throw host.diedError();
    const intendedAt = await opts.beforeMeasure?.(point, input.index);

    const before = host ? await host.snapshot() : undefined;
    // Halfway through, the server tells how many connections it has accepted so far: a server that
    // serves one connection at a time has accepted far fewer than the generator opened (starvation a
    // generator without per-connection counts, such as wrk, cannot see; after the run, closing
    // connections drain the backlog and hide it).
    let midpoint: Promise<ServerSnapshot | undefined> = Promise.resolve(undefined);
    const midTimer = host
      ? setTimeout(() => {
          midpoint = host!.snapshot().catch(() => undefined);
        }, point.params.durationMs / 2)
      : undefined;
    await profiler?.begin();
    const cpuBefore = process.cpuUsage();
    const measuredStart = startOf(performance.timeOrigin + performance.now(), intendedAt);
    const loadResult = await runLoad(point.params.durationMs, point.params.requests, true).finally(() =>
      clearTimeout(midTimer),
    );
    const cpu = process.cpuUsage(cpuBefore);
    await profiler?.end();
    const mid = await midpoint;
    if (signal.aborted)
      return failedPoint(base, 'interrupted', { code: 'IOBENCH_INTERRUPTED', message: 'interrupted' });
    if (host?.diedUnexpectedly) throw host.diedError();
    const after = host && before ? await host.snapshot() : undefined;
    const idleHeld = idle?.held();
    const loadCpuUs = loadResult.cpuUs ?? cpu.user + cpu.system;
    const point_ = assemblePoint({
      base,
      load: loadResult,
      loadCpuUs,
      server: before && after ? serverDelta(before, after, loadResult.requests) : undefined,
      idle: idleHeld === undefined ? undefined : { requested: point.params.idleConnections, held: idleHeld },
      measuredStart,
      // Anchors are references measured for comparison, not what a threshold gates.
      thresholds: point.anchor ? undefined : config.thresholds,
    });
    if (point_.serverStats && before && mid)
      point_.serverStats.acceptedFirstHalf = mid.stats.accepted - before.stats.accepted;
    if (profiler)
      point_.profiles = await profiler.finish({ requests: loadResult.requests, title: `${base.server} — ${point.id}` });
    if (placement) point_.network = placement.description;
    debug('point %s: %d req/s', point.id, point_.rps);
    return point_;
  } catch (error) {
    if (signal.aborted)
      return failedPoint(base, 'interrupted', { code: 'IOBENCH_INTERRUPTED', message: 'interrupted' });
    if (host?.diedUnexpectedly) {
      const died = host.diedError();
      return failedPoint(base, 'failed', { code: died.code, message: died.message, plugin: died.plugin });
    }
    // Anything else (a server that cannot start, a load generator that fails) stops the run.
    throw error;
  } finally {
    signal.removeEventListener('abort', onRunAbort);
    await profiler?.kill();
    idle?.close();
    if (host) {
      if (signal.aborted) await host.kill();
      else await host.stop();
    }
  }
}

/** The measured phase's start (epoch ms, fractional) against the instant it was scheduled for. */
function startOf(atMs: number, intendedAt: Date | undefined): MeasuredStart {
  return {
    at: new Date(atMs).toISOString(),
    ...(intendedAt
      ? {
          intendedAt: intendedAt.toISOString(),
          offsetMs: Math.round((atMs - intendedAt.getTime()) * 100) / 100,
        }
      : {}),
  };
}

/** Calls a plugin hook; anything it throws is wrapped with the plugin's name and the hook. */
export async function callPlugin<T>(plugin: string, hook: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PluginError || error instanceof InterruptedError) throw error;
    throw new PluginError(plugin, hook, error);
  }
}

/**
 * A config file may hold options for servers a run does not use, but options for a server that
 * does not exist are a typo the user wants to hear about.
 */
async function checkServerOptionNames(config: Config, registry: PluginRegistry): Promise<void> {
  for (const name of Object.keys(config.serverOptions)) {
    if (config.server.includes(name)) continue;
    await registry.resolve('server', name).catch((cause: unknown) => {
      throw new ConfigError(
        `serverOptions names "${name}", which is not a server plugin: ${(cause as Error).message}`,
        { cause },
      );
    });
  }
}

/** A plan whose connections cannot be opened under `ulimit -n` is refused before anything starts. */
function checkFdLimit(config: Config): void {
  const largest = Math.max(...config.connections) + Math.max(...config.idleConnections);
  const advice = openFilesAdvice(largest);
  if (!advice.enough) {
    throw new ConfigError(
      `connections ${largest} need ${advice.needed} open files per process, but the open-file limit (ulimit -n) is ${advice.limit}`,
      { suggestions: [advice.fix] },
    );
  }
}
