/**
 * @iobench/core: the SDK for plugin authors — the plugin contract and its define helpers, the common
 * server options, the error catalog, HDR histograms, the results model reporters receive (its zod
 * schema, types and the helpers that read it), atomic files, and children that die with iobench.
 * Loop and generator threads import the light subpaths `/worker` and `/histogram`; plugin tests
 * import the conformance and hostile-server kits from `/testing`. The application that runs plugins
 * (config, plan, orchestration, results files, merge, compare, shards) is the engine package, which imports this one and never the reverse.
 */
export * from './errors.js';
export { makeDirectories, writeFileAtomic } from './files.js';
export * from './histogram/index.js';
export { didYouMean, editDistance, nearestNames } from './nearest.js';
export {
  type CommonOptionSetting,
  declaresCommonOption,
  requireCommonOptions,
  withCommonOptions,
} from './plugin/common-options.js';
export * from './plugin/contract.js';
export { HARD_DEADLINE_SLACK_MIN_MS, hardDeadlineMs } from './plugin/hard-deadline.js';
export {
  HTTP_HEADER_VALUE,
  HTTP_PATH,
  HTTP_TOKEN,
  type LoadRequest,
  originForm,
  parseHeaderLine,
  requestBytes,
  targetRequests,
} from './plugin/http-request.js';
export { notHttp2Error } from './plugin/http2-refusal.js';
export { siblingModule, spawnModuleWorker } from './plugin/module-worker.js';
export { validatePluginOptions } from './plugin/options.js';
export { parseZonedUrl, type ZonedUrl } from './plugin/zoned-url.js';
export { clockTicksPerSecond, ticksToUs } from './process/clock-ticks.js';
export { expandCpuList } from './process/cpu-list.js';
export { dieWithParent, parentDeathPrefix } from './process/die-with-parent.js';
export { findInPath } from './process/find-in-path.js';
export { artifactStem } from './results/artifact-name.js';
export { capacityBracketText } from './results/capacity.js';
export { addCounts, emptyErrors, normaliseErrors, summarisePerConnection } from './results/counts.js';
export * from './results/folded-stacks.js';
export { formatBytesPerSec, formatCount, formatDurationMs, formatLatencyUs, renderTable } from './results/format.js';
export * from './results/model.js';
export {
  groupRepeats,
  isWideSpread,
  pointIdentity,
  pointLabel,
  type RepeatSpread,
  spreadOf,
  spreadPct,
  WIDE_SPREAD_MARK,
  WIDE_SPREAD_PCT,
  wideSpreadNote,
} from './results/repeats.js';
export { stableJson } from './results/stable-json.js';
export {
  addStatusCodes,
  describeResponses,
  formatStatusCodes,
  mostlyNon2xx,
  NON_2XX_SHARE,
  non2xxShare,
  non2xxWarning,
  type StatusClass,
  statusShare,
} from './results/status.js';
export {
  SWEEP_PARAMETERS,
  type SweepParameter,
  sweepParameter,
  sweepValue,
  variedParameters,
} from './results/sweep.js';
export {
  evaluateThresholds,
  failedThresholds,
  formatThresholdValue,
  parseThreshold,
  THRESHOLD_METRICS,
  type Threshold,
  thresholdVerdict,
} from './results/thresholds.js';
export { transferRate } from './results/transfer.js';
export {
  describeStarvation,
  type EmptyPointEvidence,
  emptyPointError,
  type GeneratorEvidence,
  generatorBoundVerdict,
  hasFigures,
  OVERLOAD_ADVICE,
  overloadVerdict,
  pointFlags,
  starvationVerdict,
} from './results/verdicts.js';
