export { dieWithParent, parentDeathPrefix } from './die-with-parent.js';
export {
  checkPlacement,
  type NetnsFamily,
  NO_PLACEMENT,
  type PlacedNetwork,
  type Placement,
  type PlacementRequest,
  type PointProfilerHandle,
} from './placement.js';
export * from './plan.js';
export { pointServerOptions } from './point-server-options.js';
export * from './run.js';
export { ServerProcess, type ServerSnapshot } from './server-process.js';
export { checkTargetReachable } from './target.js';
