/** Results files: reading and writing them atomically, merging runs and shards, assembling points. */
export { readResultsFile, writeResultsFile } from './file.js';
export {
  type MergedEnvironment,
  type MergedHost,
  type MergedResultsFile,
  type MergeInput,
  mergeResults,
} from './merge.js';
export { mergeWarnings } from './merge-checks.js';
export { MIN_OVERLAP_PCT } from './merge-overlap.js';
export { isSharded, unshardInputs } from './merge-shards.js';
export * from './point.js';
