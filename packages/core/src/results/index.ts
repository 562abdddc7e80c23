/** The results file: its types, reading and writing it, merging runs, building points. */
export { readResultsFile, writeResultsFile } from './file.js';
export {
  type MergedEnvironment,
  type MergedHost,
  type MergedResultsFile,
  type MergeInput,
  mergeResults,
} from './merge.js';
export { emptyErrors, normaliseErrors, summarisePerConnection } from './point.js';
export { resultsFileSchema } from './schema.js';
export {
  evaluateThresholds,
  failedThresholds,
  formatThresholdValue,
  parseThreshold,
  THRESHOLD_METRICS,
  type Threshold,
  thresholdVerdict,
} from './thresholds.js';
export * from './types.js';
