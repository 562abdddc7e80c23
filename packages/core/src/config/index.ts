export * from './duration.js';
export * from './load.js';
export * from './schema.js';
