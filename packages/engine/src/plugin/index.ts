/** Plugin resolution: registrations, package names and paths to plugins; "did you mean" for names. */
export { didYouMean, nearestNames } from '@iobench/core';
export { importPlugin, PluginRegistry, type ResolvedPlugin } from './resolve.js';
