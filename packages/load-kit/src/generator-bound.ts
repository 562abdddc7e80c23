/**
 * Decides whether the generator, rather than the server, limited a point. A thread whose event loop
 * was busy nearly all the time, a process using nearly a full core per generator thread, or timers
 * firing far too late all mean requests left later than the server could have taken them.
 */
import type { LoopStats } from './thread-result.js';

/** Event-loop delay p99 above which the generator could not keep its own timing. */
const DELAY_P99_LIMIT_US = 50_000;

export interface GeneratorLoad {
  loop: LoopStats;
  /** Process CPU (user + system) over the run, microseconds. */
  cpuUs: number;
  durationMs: number;
  threads: number;
}

export interface GeneratorVerdict {
  bound: boolean;
  /** CPU used per generator thread, in cores (1 = one core fully busy). */
  coresPerThread: number;
}

/** `threshold` is the busy fraction (0..1) of loop time or of a core that counts as saturated. */
export function judgeGenerator(load: GeneratorLoad, threshold: number): GeneratorVerdict {
  const coresPerThread = load.durationMs > 0 ? load.cpuUs / (load.durationMs * 1000) / load.threads : 0;
  const bound =
    load.loop.utilization >= threshold || coresPerThread >= threshold || load.loop.delayP99Us >= DELAY_P99_LIMIT_US;
  return { bound, coresPerThread };
}
