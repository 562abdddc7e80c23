/**
 * @iobench/core: what a plugin author needs — the plugin contract and its define helpers, the error
 * catalog, HDR histograms and the result types. The machinery is on subpaths, each a folder of
 * `src/`: `/config`, `/plugin` (resolution, option validation), `/run` (the orchestrator and the
 * placement interface), `/results`, `/compare`, `/reporters` (console, json), `/output`, `/env`,
 * and `/histogram`, `/worker` and `/testing` for threads and tests.
 */
export { type ConfigInput, defineConfig } from './config/schema.js';
export * from './errors.js';
export * from './histogram/index.js';
export { didYouMean, nearestNames } from './nearest.js';
export * from './plugin/contract.js';
export { HARD_DEADLINE_SLACK_MIN_MS, hardDeadlineMs } from './plugin/hard-deadline.js';
export { parseZonedUrl, type ZonedUrl } from './plugin/zoned-url.js';
export * from './results/types.js';
/** For plugins that start processes (e.g. wrk): the child dies with iobench. */
export { dieWithParent } from './run/die-with-parent.js';
