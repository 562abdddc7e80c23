import { consoleReporter } from './console.js';
import { jsonReporter } from './json.js';

/** Reporters that ship with core, by name. */
export const BUILTIN_REPORTERS = {
  console: consoleReporter,
  json: jsonReporter,
};

export { renderResultsTable, runStartLine } from './console.js';
