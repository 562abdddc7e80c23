/** Comparing two runs point by point, or two capacity runs search by search (`iobench compare`). */

export {
  type CapacityComparison,
  type CapacitySide,
  isCapacityRun,
  type KneeLatency,
} from './capacity.js';
export type { MetricChange } from './change.js';
export {
  type ComparedRun,
  type CompareOptions,
  type ComparisonResult,
  compareResults,
  type GatedChange,
  type GateMetric,
  type PointComparison,
} from './compare.js';
export { diffPlans } from './plan-diff.js';
export { describeChanges, gateLine, renderComparison } from './render.js';
export { COMPARE_METRICS, type CompareMetric, type RepeatGroup, summariseRepeats } from './repeats.js';
