export { dieWithParent, parentDeathPrefix } from './die-with-parent.js';
export { pinProcess } from './pinning.js';
export * from './plan.js';
export * from './run.js';
export { ServerProcess, type ServerSnapshot } from './server-process.js';
export { checkTargetReachable } from './target.js';
