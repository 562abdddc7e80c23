/** The results file: its types, reading and writing it, merging runs, building points, sweeps, artifact names. */
export { artifactStem } from './artifact-name.js';
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
  SWEEP_PARAMETERS,
  type SweepParameter,
  sweepParameter,
  sweepValue,
  variedParameters,
} from './sweep.js';
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
export {
  describeStarvation,
  type EmptyPointEvidence,
  emptyPointError,
  type GeneratorEvidence,
  generatorBoundVerdict,
  OVERLOAD_ADVICE,
  overloadVerdict,
  pointFlags,
  starvationVerdict,
} from './verdicts.js';
