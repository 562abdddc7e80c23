/**
 * Placement: where a run's processes run and what watches them — CPU pinning (`serverCpus`,
 * `loadCpus`), network namespaces (`netns`) and profilers (`profile`). The orchestrator reaches it
 * only through this interface: iobench's placement package implements it on Linux (taskset, setns,
 * perf, strace) and the program embedding core passes it in `RunOptions.placement`. Without one, a run
 * that asks for any of it is refused before anything starts.
 */

import type { NetworkPlacement, PointProfiles, ProfileKind } from '@iobench/core';
import { ConfigError } from '@iobench/core';
import type { Config } from '../config/schema.js';

/** The address family of the veth pair between the two namespaces of `--netns`. */
export type NetnsFamily = NetworkPlacement['family'];

/** What a run asks of placement, from its config. */
export interface PlacementRequest {
  serverCpus?: string;
  loadCpus?: string;
  netns: false | NetnsFamily;
  profile: ProfileKind[];
}

/** The two network namespaces of a `--netns` run, joined by a veth pair. */
export interface PlacedNetwork {
  /** What the results record about the namespaces. */
  readonly description: NetworkPlacement;
  /** The URL the load side uses for a server that answered with `serverUrl`. */
  loadUrl(serverUrl: string): string;
  /** Runs `fn` (synchronous: e.g. a fork) with the calling thread in the server namespace. */
  inServerNamespace<T>(fn: () => T): T;
  /** Runs `fn` with the main thread in the load namespace until its promise settles. */
  inLoadNamespace<T>(fn: () => Promise<T>): Promise<T>;
  /** Deletes both namespaces. Idempotent. */
  destroy(): Promise<void>;
}

/** The profilers of one point, attached to its server host. Called in this order. */
export interface PointProfilerHandle {
  /** Starts recording, right before the measured phase. */
  begin(): Promise<void>;
  /** Stops recording, right after it. */
  end(): Promise<void>;
  /** Turns the recordings into the point's profiles (files under the run's output directory). */
  finish(context: { requests: number; title: string }): Promise<PointProfiles>;
  /** Stops every profiler and removes what it left; safe after `finish` and on any error. */
  kill(): Promise<void>;
}

/** Placement, as the orchestrator uses it. */
export interface Placement {
  /**
   * Refuses, before anything starts, what `request` asks for and this machine cannot do (a missing
   * taskset, perf or strace; privileges for namespaces). Throws an IobenchError naming the fix.
   */
  check(request: PlacementRequest): Promise<void>;
  /** Pins every thread of `pid` (and the threads it creates later) to `cpus` (`taskset -c` syntax). */
  pinProcess(pid: number, cpus: string): Promise<void>;
  /** The address servers listen on in the server namespace; set as their common `host` option. */
  serverHost(family: NetnsFamily): string;
  /** Creates the run's namespaces and veth pair and waits until they carry traffic. */
  createNetwork(family: NetnsFamily): Promise<PlacedNetwork>;
  /** Node flags a server host starts with when profiled by `kinds` (e.g. perf's JIT symbol maps). */
  profilerNodeFlags(kinds: ProfileKind[]): string[];
  /** Attaches the profilers `kinds` to a point's server host (`pid`); files go under `outDir`. */
  attachProfiler(options: {
    kinds: ProfileKind[];
    pid: number;
    outDir: string;
    pointId: string;
  }): Promise<PointProfilerHandle>;
}

/**
 * `--profile` and `--netns` need servers iobench starts; then `placement` checks, before anything
 * starts, the tools and privileges the config asks for.
 */
export async function checkPlacement(config: Config, placement: Placement): Promise<void> {
  if (config.profile.length > 0 && config.target) {
    throw new ConfigError(
      `--profile ${config.profile.join(',')} records the server processes iobench starts; it cannot profile --target ${config.target}`,
    );
  }
  if (config.netns && (config.target || config.anchors.length > 0)) {
    throw new ConfigError(
      "--netns runs the servers iobench starts in a namespace of their own; --target and anchors are outside it (they are reached on this host's network)",
    );
  }
  await placement.check({
    serverCpus: config.serverCpus,
    loadCpus: config.loadCpus,
    netns: config.netns,
    profile: config.profile,
  });
}

/** What a run gets without placement: a check that refuses any request, so nothing else is ever called. */
export const NO_PLACEMENT: Placement = {
  async check(request) {
    const asked = [
      request.serverCpus !== undefined && '--server-cpus',
      request.loadCpus !== undefined && '--load-cpus',
      request.netns && '--netns',
      request.profile.length > 0 && '--profile',
    ].filter(Boolean);
    if (asked.length > 0) {
      throw new ConfigError(
        `${asked.join(', ')} need placement (pinning, network namespaces, profiling), which this program does not provide`,
        {
          suggestions: [
            'Run it with the iobench CLI, or pass RunOptions.placement (iobench’s placement package has one).',
          ],
        },
      );
    }
  },
  pinProcess: unprovided,
  serverHost: unprovided,
  createNetwork: unprovided,
  profilerNodeFlags: () => [],
  attachProfiler: unprovided,
};

function unprovided(): never {
  throw new ConfigError('this run needs placement, which this program does not provide');
}
