export * from './errors.js';
export * from './plugin/contract.js';
export * from './results/types.js';
export * from './histogram/index.js';
