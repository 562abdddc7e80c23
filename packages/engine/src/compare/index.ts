/** Comparing two runs point by point (`iobench compare`). */

export {
  type ComparedRun,
  type CompareOptions,
  type ComparisonResult,
  compareResults,
  type GateMetric,
  type MetricChange,
  type PointComparison,
} from './compare.js';
export { diffPlans } from './plan-diff.js';
export { describeChanges, gateLine, renderComparison } from './render.js';
export {
  COMPARE_METRICS,
  type CompareMetric,
  measurementIdentity,
  type RepeatGroup,
  summariseRepeats,
  UNMEASURED_PARAMS,
} from './repeats.js';
