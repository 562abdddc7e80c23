/**
 * Core's `Placement` on Linux: taskset(1) for pinning, network namespaces joined by a veth pair
 * (ip(8), setns(2) from the syscall layer) for `--netns`, perf and strace for `--profile`.
 */
import type { Placement } from '@iobench/engine/run';
import { checkNetnsPrivileges, NetnsPlacement, serverAddressFor } from './netns/index.js';
import { pinProcess } from './pinning/pin-process.js';
import { checkProfilers, PERF_NODE_FLAGS, PointProfiler } from './profile/index.js';

/** The placement the CLI passes to every run. */
export function createPlacement(): Placement {
  return {
    async check(request) {
      if (request.profile.length > 0) await checkProfilers(request.profile);
      if (request.netns) await checkNetnsPrivileges();
    },
    pinProcess,
    serverHost: serverAddressFor,
    createNetwork: (family) => NetnsPlacement.create(family),
    profilerNodeFlags: (kinds) => (kinds.includes('perf') || kinds.includes('offcpu') ? PERF_NODE_FLAGS : []),
    attachProfiler: (options) => PointProfiler.attach(options),
  };
}
