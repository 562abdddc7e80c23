/**
 * Entry of every loop worker thread: builds the loop context from `workerData` and runs the loop
 * module's default export until it returns (the host asked it to stop).
 */
import { workerData } from 'node:worker_threads';
import { type LoopFunction, type LoopWorkerData, loopContext } from './loop-context.js';

const { loopModule } = workerData as LoopWorkerData<unknown>;
const loop = ((await import(loopModule)) as { default?: unknown }).default;
if (typeof loop !== 'function') {
  throw new TypeError(`loop module ${loopModule} must export default a function (ctx) => void (got ${typeof loop})`);
}
const ctx = loopContext();
try {
  (loop as LoopFunction<unknown>)(ctx);
} finally {
  ctx.dispose();
}
