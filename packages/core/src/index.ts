export * from './compare/index.js';
export * from './config/index.js';
export { captureEnvironment, IOBENCH_VERSION, openFileLimit, toolVersion } from './env/capture.js';
export { FD_HEADROOM, type OpenFilesAdvice, openFilesAdvice } from './env/open-files.js';
export * from './errors.js';
export * from './histogram/index.js';
export * from './netns/index.js';
export * from './output/index.js';
export * from './plugin/contract.js';
export { siblingModule, spawnModuleWorker } from './plugin/module-worker.js';
export { validatePluginOptions } from './plugin/options.js';
export {
  BUILTIN_PLUGIN_MODULES,
  type BuiltinPluginName,
  importPlugin,
  PluginRegistry,
  type ResolvedPlugin,
} from './plugin/resolve.js';
export * from './profile/index.js';
export * from './reporters/index.js';
export { artifactStem } from './results/artifact-name.js';
export { readResultsFile, writeResultsFile } from './results/file.js';
export {
  type MergedEnvironment,
  type MergedHost,
  type MergedResultsFile,
  type MergeInput,
  mergeResults,
} from './results/merge.js';
export { emptyErrors, normaliseErrors, summarisePerConnection } from './results/point.js';
export { resultsFileSchema } from './results/schema.js';
export {
  SWEEP_PARAMETERS,
  type SweepParameter,
  sweepParameter,
  sweepValue,
  variedParameters,
} from './results/sweep.js';
export * from './results/types.js';
export * from './run/index.js';
