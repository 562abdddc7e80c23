/**
 * Splits the server's per-request cost: CPU into user and system microseconds, context switches
 * into voluntary (blocked, e.g. in accept or a wait) and involuntary (preempted). A blocking server
 * shows many voluntary switches per request; a busy event loop few of either.
 */
import type { ServerPointStats } from '../results/types.js';

/** Adds the per-request split to a point's server stats (in place) and returns them. */
export function addPerRequestSplit(stats: ServerPointStats, requests: number): ServerPointStats {
  const perRequest = (n: number) => (requests > 0 ? Math.round((n / requests) * 100) / 100 : 0);
  stats.userCpuUsPerRequest = perRequest(stats.userCpuUs);
  stats.systemCpuUsPerRequest = perRequest(stats.systemCpuUs);
  stats.voluntaryCtxSwitchesPerRequest = perRequest(stats.voluntaryCtxSwitches);
  stats.involuntaryCtxSwitchesPerRequest = perRequest(stats.involuntaryCtxSwitches);
  return stats;
}
