/**
 * The user/system CPU and voluntary/involuntary context-switch split per request is computed by
 * `serverDelta` (results/point.ts) with the server's other per-request figures.
 */
import type { ServerPointStats } from '../results/types.js';

/**
 * @deprecated `serverDelta` already fills in `userCpuUsPerRequest`, `systemCpuUsPerRequest`,
 * `voluntaryCtxSwitchesPerRequest` and `involuntaryCtxSwitchesPerRequest`; this returns `stats`
 * unchanged and stays only until its last caller (run/run.ts) is gone.
 */
export function addPerRequestSplit(stats: ServerPointStats, _requests: number): ServerPointStats {
  return stats;
}
