/**
 * @iobench/load-kit: mechanics shared by iobench's in-process load generators (undici, native):
 * splitting a load over threads, merging the threads' results exactly, judging whether the
 * generator was the bottleneck, the generator clock and the open model's backlog queue.
 */
export { nowUs } from './clock.js';
export { FloatQueue } from './float-queue.js';
export { type GeneratorLoad, type GeneratorVerdict, judgeGenerator } from './generator-bound.js';
export { type MergedResult, mergeThreadResults } from './merge-results.js';
export { ProgressBoard, type ProgressSlot, recordLatency } from './progress-board.js';
export { requestOptionsShape } from './request-options.js';
export { splitLoad } from './split-load.js';
export type { LoadShare, LoopStats, ThreadResult } from './thread-result.js';
