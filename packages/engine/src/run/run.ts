/**
 * The run orchestrator: preflight validates everything before anything starts, then each planned
 * point is measured in turn (measure-point.ts), written to the results file and handed to the
 * reporters. Whatever happens after preflight — a point's failure, a plugin that throws, Ctrl-C —
 * the results file ends with a final status and `finishedAt`, and every reporter hears `onRunEnd`.
 */
import { join } from 'node:path';
import type { PointResult, ResultsFile, ShardRecord } from '@iobench/core';
import { InterruptedError, IobenchError } from '@iobench/core';
import type { Config } from '../config/schema.js';
import { captureEnvironment } from '../env/capture.js';
import type { PluginRegistry } from '../plugin/resolve.js';
import { measureCapacities, probeRunner } from './capacity-run.js';
import { measurePoint, type PointHooks } from './measure-point.js';
import { NO_PLACEMENT, type PlacedNetwork, type Placement } from './placement.js';
import { preflight, type RunSetup } from './preflight.js';
import { ReporterHub } from './reporter-hub.js';
import { ResultsWriter } from './results-writer.js';

export interface RunOptions extends PointHooks {
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
  /**
   * Aborting stops the run: finished points are kept, and the current point too, marked partial,
   * when its measured phase had begun; a point aborted before that is dropped.
   */
  signal?: AbortSignal;
  /** Called when a point ends, before reporters hear of it (e.g. to clear a progress line). */
  onPointEnd?: (point: PointResult) => void;
  /** Pinning, network namespaces and profilers; without it, a run that asks for them is refused. */
  placement?: Placement;
  /** `--shard`: this run measures one shard of a plan; recorded in the results file. */
  shard?: ShardRecord;
}

export interface RunOutcome {
  results: ResultsFile;
  resultsPath: string;
}

export async function runBenchmark(opts: RunOptions): Promise<RunOutcome> {
  const signal = opts.signal ?? new AbortController().signal;
  const placement = opts.placement ?? NO_PLACEMENT;
  const setup = await preflight({ ...opts, placement });
  const { config, outDir } = setup;
  const env = await captureEnvironment({ serverCpus: config.serverCpus, loadCpus: config.loadCpus });
  if (config.loadCpus) await placement.pinProcess(process.pid, config.loadCpus);
  const hub = await ReporterHub.create(setup.reporters, {
    signal,
    stdout: opts.stdout,
    outDir,
    resultsDir: outDir,
    json: Boolean(opts.json),
  });

  const writer = await ResultsWriter.start(join(outDir, 'results.json'), { env, plan: setup.plan, shard: opts.shard });
  let failure: unknown;
  try {
    await measurePoints(setup, writer, hub, placement, signal, opts);
  } catch (error) {
    failure = error;
  }
  const results = await writer.finish({ aborted: signal.aborted, failure });
  try {
    await hub.onRunEnd(results);
  } catch (error) {
    // The error that stopped the run is the one to report; a reporter failing on top of it is logged by the hub.
    failure ??= error;
  }
  if (signal.aborted) throw new InterruptedError(`run interrupted; ${describeKept(results, writer.path)}`);
  if (failure !== undefined) throw failure;
  // A capacity probe that measured nothing missed its SLO; the search's outcome says what that meant.
  const failed = results.points.filter((p) => p.status === 'failed' && !p.capacityProbe);
  if (failed.length > 0) {
    throw new IobenchError(
      'IOBENCH_POINTS_FAILED',
      `${failed.length} of ${results.points.length} point(s) failed (results in ${writer.path}):\n  ${failed.map((p) => `${p.id}: ${p.error?.message}`).join('\n  ')}`,
    );
  }
  return { results, resultsPath: writer.path };
}

/**
 * What an interrupted run kept, and where: `3 finished point(s) and 1 partial one(s) kept in …`;
 * `7 probe(s) of 1 capacity search(es) kept in … (2 search(es) not started)`.
 */
function describeKept(results: ResultsFile, path: string): string {
  if (results.plan.findCapacity) {
    const searched = results.capacity?.length ?? 0;
    const notStarted = results.plan.pointCount - searched;
    const rest = notStarted > 0 ? ` (${notStarted} search(es) not started)` : '';
    return `${results.points.length} probe(s) of ${searched} capacity search(es) kept in ${path}${rest}`;
  }
  const partial = results.points.filter((p) => p.partial).length;
  const finished = results.points.length - partial;
  return `${finished} finished point(s)${partial ? ` and ${partial} partial one(s)` : ''} kept in ${path}`;
}

/** What the caller hears of each point while it runs. */
function pointHooks(opts: RunOptions): PointHooks {
  return { onProgress: opts.onProgress, beforeMeasure: opts.beforeMeasure };
}

/**
 * The point loop: each point measured, written, then announced; stops early when the run is
 * aborted. With `--find-capacity` the planned points are searches, each measured as many probes.
 */
async function measurePoints(
  setup: RunSetup,
  writer: ResultsWriter,
  hub: ReporterHub,
  placement: Placement,
  signal: AbortSignal,
  opts: RunOptions,
): Promise<void> {
  let network: PlacedNetwork | undefined;
  try {
    network = setup.config.netns ? await placement.createNetwork(setup.config.netns) : undefined;
    await hub.onRunStart(setup.plan);
    if (setup.config.findCapacity.length > 0) {
      const capacity = await measureCapacities({
        points: setup.points,
        slo: setup.config.findCapacity,
        probeDurationMs: setup.config.probeDuration,
        rounds: setup.config.capacityRounds,
        measure: probeRunner({ setup, placement, network, signal, hooks: pointHooks(opts) }),
        emit: async (point) => {
          await writer.add(point);
          opts.onPointEnd?.(point);
          await hub.onPointEnd(point);
        },
      });
      await writer.setCapacity(capacity);
      return;
    }
    for (const [index, point] of setup.points.entries()) {
      if (signal.aborted) break;
      const result = await measurePoint({ setup, point, index, placement, network, signal, hooks: pointHooks(opts) });
      // A point interrupted before its measured phase measured nothing; a partial one is kept, marked.
      if (result.status === 'interrupted' && !result.partial) break;
      await writer.add(result);
      opts.onPointEnd?.(result);
      await hub.onPointEnd(result);
      if (result.status === 'interrupted') break;
    }
  } finally {
    await network?.destroy();
  }
}
