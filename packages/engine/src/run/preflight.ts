/**
 * Preflight: everything a run needs, resolved and validated before anything is spawned — plugins
 * and their options for every point, what the load generator supports, the open-file limit,
 * placement, reachable targets (speaking HTTP/2 with `--http2`) — and the output directory prepared last, so that a refused run
 * leaves nothing behind.
 */
import { randomInt } from 'node:crypto';
import type { LoadPlugin, RunPlan, ServerPlugin } from '@iobench/core';
import { ConfigError, validatePluginOptions } from '@iobench/core';
import type { Config } from '../config/schema.js';
import { openFilesAdvice } from '../env/open-files.js';
import { prepareOutDir } from '../output/index.js';
import type { PluginRegistry, ResolvedPlugin } from '../plugin/resolve.js';
import { checkLoadSupport } from './load-support.js';
import { checkPlacement, type Placement } from './placement.js';
import { describePlan, drawsArrivals, type PlannedPoint, planPoints } from './plan.js';
import { pointServerOptions } from './point-server-options.js';
import { resolveReporters, type ValidatedReporter } from './reporter-hub.js';
import { prepareRequests, type RequestSetup, refuseCommonRequestOptions } from './request-setup.js';
import { checkTargetReachable, checkTargetSpeaksHttp2 } from './target.js';

/** What preflight needs to know about the run asked for. */
export interface PreflightInput {
  config: Config;
  registry: PluginRegistry;
  placement: Placement;
  /** `--out`; absent, a new `iobench-results/<timestamp>`. */
  outDir?: string;
  /** `--force`: write into an `outDir` that already holds files. */
  force?: boolean;
}

/** A planned point with its plugins and the options validated for this very point. */
export interface PreparedPoint extends PlannedPoint {
  /** The server plugin to start; absent for `--target` and anchor points. */
  serverPlugin?: ResolvedPlugin<ServerPlugin>;
  /** The server's options for this point (swept `bodySize`/`work`, `--netns` host applied); `{}` without one. */
  serverOptions: Record<string, unknown>;
  /** The point's load generator (`--load a,b` crosses the plan) and its validated options. */
  loadPlugin: ResolvedPlugin<LoadPlugin>;
  loadOptions: Record<string, unknown>;
}

/** A run that passed every check: what `runBenchmark` measures, with nothing left to validate. */
export interface RunSetup {
  config: Config;
  points: PreparedPoint[];
  reporters: ValidatedReporter[];
  /** The plan as results.json records it. */
  plan: RunPlan;
  /** The prepared output directory. */
  outDir: string;
  /** What every load generator sends, and the certificate checks. */
  requests: RequestSetup;
}

/** The run's plugins, resolved, with their options validated (what `iobench config` checks too). */
export interface ValidatedPlugins {
  servers: Map<string, { resolved: ResolvedPlugin<ServerPlugin>; options: Record<string, unknown> }>;
  loads: Map<string, { resolved: ResolvedPlugin<LoadPlugin>; options: Record<string, unknown> }>;
  reporters: ValidatedReporter[];
}

/**
 * Resolves every plugin the config names and validates its options through the plugin's schema,
 * refuses load options that are common settings now and settings a load generator cannot honour.
 * Starts nothing and writes nothing.
 */
export async function validatePlugins(config: Config, registry: PluginRegistry): Promise<ValidatedPlugins> {
  const servers: ValidatedPlugins['servers'] = new Map();
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
  refuseCommonRequestOptions(config);
  const loads: ValidatedPlugins['loads'] = new Map();
  for (const name of config.load) {
    const resolved = await registry.resolve('load', name);
    const options = await validatePluginOptions(resolved.plugin, config.loadOptions[name] ?? {});
    await checkLoadSupport(resolved.plugin, config, registry);
    loads.set(name, { resolved, options });
  }
  const reporters = await resolveReporters(registry, config.reporter, config.reporterOptions);
  return { servers, loads, reporters };
}

/** Validates the run `input` asks for; throws (a ConfigError for what the user can fix) before anything starts. */
export async function preflight({ config, registry, placement, outDir, force }: PreflightInput): Promise<RunSetup> {
  const { servers, loads, reporters } = await validatePlugins(config, registry);
  const requests = await prepareRequests(config);
  checkFdLimit(config);
  await checkPlacement(config, placement);
  if (config.target) {
    await checkTargetReachable(config.target);
    if (config.http2) await checkTargetSpeaksHttp2(config.target);
  } else for (const anchor of config.anchors) await checkTargetReachable(anchor.url);

  // Every point's server options are validated now (the plan may sweep bodySize and work); a server
  // that does not declare a common option the run sets is refused here. --netns: every server
  // listens on the server end of the veth pair.
  const placedHost = config.netns ? placement.serverHost(config.netns) : undefined;
  // Poisson draws need a seed; one chosen here is recorded with every point, so the run can be redone.
  if (drawsArrivals(config) && config.seed === undefined) config.seed = randomInt(2 ** 32);
  const planned = planPoints(config);
  const points: PreparedPoint[] = [];
  for (const point of planned) {
    const load = loads.get(point.load)!;
    const withLoad = { ...point, loadPlugin: load.resolved, loadOptions: load.options };
    const server = point.server ? servers.get(point.server) : undefined;
    if (!server) {
      points.push({ ...withLoad, serverOptions: {} });
      continue;
    }
    const options = pointServerOptions(
      server.resolved.plugin,
      config.serverOptions[point.server!] ?? {},
      point.params,
      placedHost,
    );
    points.push({
      ...withLoad,
      serverPlugin: server.resolved,
      serverOptions: await validatePluginOptions(server.resolved.plugin, options),
    });
  }
  const plan = describePlan(
    config,
    planned,
    Object.fromEntries([...servers].map(([name, s]) => [name, s.options])),
    Object.fromEntries([...loads].map(([name, l]) => [name, l.options])),
    requests.recorded,
  );
  // Last, as it creates the directory: a run refused above leaves nothing behind.
  const prepared = await prepareOutDir({ dir: outDir, force });
  return { config, points, reporters, plan, outDir: prepared, requests };
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
