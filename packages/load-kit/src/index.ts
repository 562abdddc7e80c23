/**
 * @iobench/load-kit: mechanics shared by iobench's in-process load generators (undici, native):
 * splitting a load over threads, merging the threads' results exactly, judging whether the
 * generator was the bottleneck, progress and CPU around the threads, the generator clock and the open
 * model's backlog queue. The threads' messages and stop signal are `@iobench/core/thread`'s.
 */
export { nowUs } from './clock.js';
export { FloatQueue } from './float-queue.js';
export { type GeneratorLoad, type GeneratorVerdict, judgeGenerator } from './generator-bound.js';
export { generatorOptionsShape } from './generator-options.js';
export { LatencyBySecond } from './latency-by-second.js';
export { generatorVerdict, measureThreads, round3 } from './measure-threads.js';
export { type MergedResult, mergeThreadResults } from './merge-results.js';
export {
  ArrivalClock,
  type ArrivalProcess,
  type ArrivalSpec,
  mulberry32,
  type RateStage,
} from './open-model/arrivals.js';
export { LATE_US, type ScheduleReport, SendSchedule } from './open-model/send-schedule.js';
export { ProgressBoard, type ProgressSlot, recordLatency } from './progress-board.js';
export { splitLoad } from './split-load.js';
export { StatusCounts } from './status-counts.js';
export type { LoadShare, LoopStats, ThreadResult } from './thread-result.js';
