/**
 * One point, measured: start the server in its own host process, wait until it serves, open idle
 * connections, warm up, measure (snapshots of the server before, halfway and after), stop — and
 * return the finished point, assembled once from everything measured.
 */

import type { LoadProgress, LoadResult, MeasuredStart, PointParams, PointResult, ProcessUsage } from '@iobench/core';
import createDebug from 'debug';
import { assemblePoint, failedPoint, type PointBase, serverDelta } from '../results/point.js';
import { callPlugin } from './call-plugin.js';
import { openIdleConnections } from './idle-connections.js';
import { type InterruptTicks, interruptTime, readInterruptTicks } from './interrupt-time.js';
import type { PlacedNetwork, Placement, PointProfilerHandle } from './placement.js';
import type { PlannedPoint } from './plan.js';
import type { PreparedPoint, RunSetup } from './preflight.js';
import { loadTarget } from './request-setup.js';
import { ServerProcess, type ServerSnapshot } from './server-process.js';

const debug = createDebug('iobench:run');

/** What the caller of a run hears while a point runs, and may hold it at. */
export interface PointHooks {
  /** Live progress of the measured phase, for progress displays. */
  onProgress?: (event: { point: PlannedPoint; index: number; total: number; progress: LoadProgress }) => void;
  /**
   * Awaited after the warm-up, right before the measured phase (`--start-at` waits here); the
   * instant it returns is recorded as the phase's intended start.
   */
  beforeMeasure?: (point: PlannedPoint, index: number) => Promise<Date | undefined>;
}

export interface MeasurePointInput {
  setup: RunSetup;
  point: PreparedPoint;
  index: number;
  placement: Placement;
  /** --netns: the namespaces server and load run in. */
  network?: PlacedNetwork;
  /** The run's signal: aborting stops this point (it comes back `interrupted`, partial when the measured phase had begun). */
  signal: AbortSignal;
  hooks: PointHooks;
}

/** What one load run is asked for: the warm-up, or the measured phase (with progress). */
type RunLoad = (durationMs: number, requests: number | undefined, withProgress: boolean) => Promise<LoadResult>;

/**
 * Measures `input.point`. A point the user interrupted comes back `interrupted` — `partial`, with
 * what was measured, when the measured phase had completed requests; one whose server
 * died comes back `failed`; anything else that goes wrong (a server that cannot start, a load
 * generator that throws) is thrown, and stops the run.
 */
export async function measurePoint(input: MeasurePointInput): Promise<PointResult> {
  const { setup, point, placement, network, signal } = input;
  const { config } = setup;
  const startedAt = new Date().toISOString();
  let target = point.anchor?.url ?? config.target ?? '';
  const base = (): PointBase => ({
    id: point.id,
    server: point.server ?? point.anchor?.name ?? 'target',
    ...(point.anchor ? { anchor: true } : {}),
    load: point.load,
    target,
    params: point.params,
    repeat: point.repeat,
    serverOptions: point.serverOptions,
    loadOptions: point.loadOptions,
    startedAt,
  });
  const interrupted = () => failedPoint(base(), 'interrupted', { code: 'IOBENCH_INTERRUPTED', message: 'interrupted' });
  debug('point %s: start', point.id);
  let host: ServerProcess | undefined;
  let idle: Awaited<ReturnType<typeof openIdleConnections>> | undefined;
  let profiler: PointProfilerHandle | undefined;
  // --netns: everything the load side opens (connections, threads, wrk) is created in the load namespace.
  const loadSide = <T>(fn: () => Promise<T>): Promise<T> => (network ? network.inLoadNamespace(fn) : fn());
  // Aborted when the run is interrupted or the server dies, so the load stops at once.
  const pointAbort = new AbortController();
  const onRunAbort = () => pointAbort.abort();
  signal.addEventListener('abort', onRunAbort, { once: true });
  try {
    if (point.serverPlugin) {
      const serverCpus = config.serverCpus;
      host = await ServerProcess.start({
        moduleUrl: point.serverPlugin.moduleUrl,
        plugin: point.serverPlugin.plugin.name,
        options: point.serverOptions,
        pin: serverCpus ? (pid) => placement.pinProcess(pid, serverCpus) : undefined,
        extraExecArgv: placement.profilerNodeFlags(config.profile),
        forkWithin: network ? (fork) => network.inServerNamespace(fork) : undefined,
      });
      target = network ? network.loadUrl(host.url) : host.url;
      const started = host;
      void started.exited.then(() => {
        if (started.diedUnexpectedly) pointAbort.abort();
      });
    }
    const runLoad = loadRunner(input, target, pointAbort.signal, loadSide);
    if (host && config.profile.length > 0)
      profiler = await placement.attachProfiler({
        kinds: config.profile,
        pid: host.pid,
        outDir: setup.outDir,
        pointId: point.id,
      });
    if (point.params.idleConnections > 0)
      idle = await loadSide(() => openIdleConnections(target, point.params.idleConnections));
    if (point.params.warmupMs > 0) await runLoad(point.params.warmupMs, undefined, false);
    if (signal.aborted) return interrupted();
    if (host?.diedUnexpectedly) throw host.diedError();
    const intendedAt = await input.hooks.beforeMeasure?.(point, input.index);

    const measured = await measuredPhase(host, profiler, runLoad, point.params, intendedAt);
    // Interrupted during the measured phase: the generator resolved with what it had measured, and
    // the point keeps it, marked partial (nothing measured, nothing to keep).
    const partial = signal.aborted;
    if (partial && measured.load.requests === 0) return interrupted();
    if (host?.diedUnexpectedly) throw host.diedError();
    const after =
      host && measured.before
        ? await host.snapshot().catch((e) => (partial ? undefined : Promise.reject(e)))
        : undefined;
    const idleHeld = idle?.held();
    const { load } = measured;
    const loadUsage = generatorUsage(load, measured.ownUsage);
    const finished = assemblePoint({
      base: base(),
      load,
      loadCpuUs: loadUsage.cpuUs,
      loadUsage: loadUsage.usage,
      interruptTime:
        measured.interruptsBefore && measured.interruptsAfter
          ? await interruptTime(measured.interruptsBefore, measured.interruptsAfter, load.requests, {
              serverCpus: host ? config.serverCpus : undefined,
              loadCpus: config.loadCpus,
            })
          : undefined,
      server: measured.before && after ? serverDelta(measured.before, after, load.requests, measured.mid) : undefined,
      idle: idleHeld === undefined ? undefined : { requested: point.params.idleConnections, held: idleHeld },
      measuredStart: measured.start,
      profiles:
        profiler && !partial
          ? await profiler.finish({ requests: load.requests, title: `${base().server} — ${point.id}` })
          : undefined,
      network: network?.description,
      // Anchors are references measured for comparison, not what a threshold gates.
      thresholds: point.anchor ? undefined : config.thresholds,
      interrupted: partial,
    });
    debug('point %s: %d req/s', point.id, finished.rps);
    return finished;
  } catch (error) {
    if (signal.aborted) return interrupted();
    if (host?.diedUnexpectedly) {
      const died = host.diedError();
      return failedPoint(base(), 'failed', { code: died.code, message: died.message, plugin: died.plugin });
    }
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

/** Runs the load plugin against `target` for one phase of the point, blamed on the plugin when it throws. */
function loadRunner(
  { setup, point, index, hooks }: MeasurePointInput,
  target: string,
  signal: AbortSignal,
  loadSide: <T>(fn: () => Promise<T>) => Promise<T>,
): RunLoad {
  const { plugin } = point.loadPlugin;
  const log = createDebug(`iobench:plugin:${plugin.name}`);
  return (durationMs, requests, withProgress) => {
    const onProgress = hooks.onProgress;
    const ctx = {
      log,
      signal,
      params: { ...phaseParams(point.params, withProgress), durationMs, requests },
      cpus: setup.config.loadCpus,
      onProgress:
        withProgress && onProgress
          ? (progress: LoadProgress) => onProgress({ point, index, total: setup.points.length, progress })
          : undefined,
    };
    return loadSide(() =>
      callPlugin(plugin.name, 'run', () => plugin.run(ctx, loadTarget(setup.requests, target), point.loadOptions)),
    );
  };
}

/**
 * A phase's load parameters: the measured phase runs the point's; a staged point warms up at its
 * first stage's rate, held (the stages are the measured phase's shape, not the warm-up's).
 */
function phaseParams(params: PointParams, measured: boolean): PointParams {
  if (measured || !params.stages) return params;
  const { stages, ...rest } = params;
  return { ...rest, rate: stages.find((s) => s.rate > 0)!.rate };
}

/**
 * The generator's CPU: what the generator measured itself (wrk's getrusage; native's from its
 * threads' start), or else this process's own usage over the phase — every thread of it, the
 * generator's and io_uring's kernel workers included, which a thread's own accounting would miss.
 */
function generatorUsage(load: LoadResult, own: ProcessUsage): { cpuUs: number; usage?: ProcessUsage } {
  if (load.cpuUs !== undefined) return { cpuUs: load.cpuUs, usage: load.cpuUsage };
  if (load.cpuUsage) return { cpuUs: load.cpuUsage.userCpuUs + load.cpuUsage.systemCpuUs, usage: load.cpuUsage };
  return { cpuUs: own.userCpuUs + own.systemCpuUs, usage: own };
}

/** What the measured phase yields, before the server's last snapshot. */
interface MeasuredPhase {
  load: LoadResult;
  /** This process's CPU and context switches over the phase, for in-process generators. */
  ownUsage: ProcessUsage;
  /** Every CPU's interrupt time at the phase's start and end (/proc/stat), where readable. */
  interruptsBefore?: InterruptTicks;
  interruptsAfter?: InterruptTicks;
  start: MeasuredStart;
  before?: ServerSnapshot;
  mid?: ServerSnapshot;
}

/**
 * The measured phase. Halfway through, the server tells how many connections it has accepted so
 * far: a server that serves one connection at a time has accepted far fewer than the generator
 * opened (starvation a generator without per-connection counts, such as wrk, cannot see; after the
 * run, closing connections drain the backlog and hide it).
 */
async function measuredPhase(
  host: ServerProcess | undefined,
  profiler: PointProfilerHandle | undefined,
  runLoad: RunLoad,
  params: PointParams,
  intendedAt: Date | undefined,
): Promise<MeasuredPhase> {
  const before = host ? await host.snapshot() : undefined;
  let mid: Promise<ServerSnapshot | undefined> = Promise.resolve(undefined);
  const midTimer = host
    ? setTimeout(() => {
        mid = host.snapshot().catch(() => undefined);
      }, params.durationMs / 2)
    : undefined;
  await profiler?.begin();
  const interruptsBefore = await readInterruptTicks();
  const usageBefore = process.resourceUsage();
  const start = startOf(performance.timeOrigin + performance.now(), intendedAt);
  const load = await runLoad(params.durationMs, params.requests, true).finally(() => clearTimeout(midTimer));
  const usageAfter = process.resourceUsage();
  const interruptsAfter = await readInterruptTicks();
  await profiler?.end();
  return {
    load,
    ownUsage: usageDelta(usageBefore, usageAfter),
    interruptsBefore,
    interruptsAfter,
    start,
    before,
    mid: await mid,
  };
}

/** getrusage's difference over a phase, in the results' names. */
function usageDelta(before: NodeJS.ResourceUsage, after: NodeJS.ResourceUsage): ProcessUsage {
  return {
    userCpuUs: after.userCPUTime - before.userCPUTime,
    systemCpuUs: after.systemCPUTime - before.systemCPUTime,
    voluntaryCtxSwitches: after.voluntaryContextSwitches - before.voluntaryContextSwitches,
    involuntaryCtxSwitches: after.involuntaryContextSwitches - before.involuntaryContextSwitches,
  };
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
