export * from './shard.js';
export * from './start-at.js';
