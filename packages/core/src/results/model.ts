/** The results model: every part's schema and derived type, one file per concern; see results-file.ts. */
export {
  type CapacityBracket,
  type CapacityProbe,
  type CapacityResult,
  capacityBracket,
  capacityProbe,
  capacityResult,
} from './capacity.js';
export {
  type NetworkPlacement,
  networkPlacement,
  type RunEnvironment,
  runEnvironment,
  type ShardRecord,
  type ShardTotals,
  shardRecord,
} from './environment.js';
export {
  type EncodedHistogram,
  ERROR_CLASSES,
  type ErrorCounts,
  type FailureRecord,
  type HttpProtocol,
  type LatencySummary,
  latencySummary,
  type StatusCodes,
  statusCodes,
} from './measures.js';
export {
  type CapacityPlan,
  type PointParams,
  pointParams,
  type RateStage,
  type RequestPlan,
  type RunPlan,
  requestPlan,
  runPlan,
  type SweepDimension,
  type SweepKey,
} from './plan.js';
export type { CpuInterruptTime, PointInterruptTime, SideInterruptTime } from './point.js';
export {
  type LoadPointStats,
  type MeasuredStart,
  type PerConnectionSummary,
  type PerSecondSample,
  type PointMergePart,
  type PointMergeSummary,
  type PointResult,
  type PointSchedule,
  pointResult,
  type ServerPointStats,
  type Starvation,
  type ThresholdCheck,
  type ThresholdMetric,
  type ThresholdOp,
} from './point.js';
export type { PointProfiles, ProfileKind } from './profiles.js';
export { RESULTS_SCHEMA_VERSION, type ResultsFile, resultsFileSchema } from './results-file.js';
