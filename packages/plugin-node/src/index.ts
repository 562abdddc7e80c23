/**
 * @iobench/plugin-node: the reference server on Node's own `http` module, so every I/O model can be
 * compared with what a plain Node.js server does.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin } from '@iobench/core';
import { startNodeServer } from './node-server.js';
import { type NodeServerOptions, nodeServerOptions } from './options.js';

export * from './options.js';

/** The `node` server plugin. */
export const nodeServerPlugin = defineServerPlugin<NodeServerOptions>({
  name: 'node',
  description: "Node's own http module on the main thread of the server host (reference)",
  options: nodeServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: (ctx, options) => startNodeServer(ctx, options),
});

export { startNodeServer } from './node-server.js';
export default nodeServerPlugin;
