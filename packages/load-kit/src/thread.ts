/**
 * `@iobench/load-kit/thread`: what a generator thread itself needs — the clock, the backlog queue,
 * latency by second, status counts and the result type — without the merge side's imports, so that every worker thread stays small
 * (a worker that loads core's whole barrel costs megabytes per thread).
 */
export { nowUs } from './clock.js';
export { FloatQueue } from './float-queue.js';
export { LatencyBySecond } from './latency-by-second.js';
export {
  ArrivalClock,
  type ArrivalProcess,
  type ArrivalSpec,
  mulberry32,
  type RateStage,
} from './open-model/arrivals.js';
export { LATE_US, type ScheduleReport, SendSchedule } from './open-model/send-schedule.js';
export { type ProgressSlot, recordLatency } from './progress-board.js';
export { StatusCounts } from './status-counts.js';
export type { LoadShare, LoopStats, ThreadResult } from './thread-result.js';
