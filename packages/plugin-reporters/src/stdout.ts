/**
 * The reporters that write to stdout, `console` and `json`, on a subpath of their own
 * (`@iobench/plugin-reporters/stdout`): every run uses one of them, and this module loads none of
 * the chart libraries the file reporters need.
 */
import type { ReporterPlugin } from '@iobench/core';
import { consoleReporter } from './console.js';
import { jsonReporter } from './json.js';

export { consoleReporter, renderCapacityTable, renderResultsTable, runStartLine } from './console.js';
export { jsonReporter } from './json.js';

const plugins: ReporterPlugin<any>[] = [consoleReporter, jsonReporter];
export default plugins;
