export * from './duration.js';
export { type EnvironmentLayer, environmentLayer, typeFromString } from './environment.js';
export { configErrorFrom, type NamedLayer } from './issues.js';
export * from './keys.js';
export * from './load.js';
export * from './schema.js';
