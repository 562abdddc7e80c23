export { callPlugin } from './call-plugin.js';
export type { PointHooks } from './measure-point.js';
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
export { type ValidatedPlugins, validatePlugins } from './preflight.js';
export {
  ReporterHub,
  type ReporterHubContext,
  resolveReporters,
  type ValidatedReporter,
} from './reporter-hub.js';
export { loadTarget, type PlannedRequest, prepareRequests, type RequestSetup } from './request-setup.js';
export { parseRequestsText, readRequestsFile } from './requests-file.js';
export * from './run.js';
export { type ReporterOutput, selectReporters } from './select-reporters.js';
export { ServerProcess, type ServerSnapshot } from './server-process.js';
export { checkTargetReachable } from './target.js';
