/** Plugin resolution: registrations, package names and paths to plugins; "did you mean" for names. */
export { didYouMean, nearestNames } from './nearest.js';
export { importPlugin, PluginRegistry, type ResolvedPlugin } from './resolve.js';
