/**
 * @iobench/plugin-node: the reference server on Node's own `http` module, so every I/O model can be
 * compared with what a plain Node.js server does.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin } from '@iobench/core';
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';
import { startNodeServer } from './node-server.js';

// node:http cannot bind to a device, so `bindDevice` is left out: passing it is an unknown-key error.
const { bindDevice: _unsupported, ...nodeServerShape } = commonServerOptions;

/** Options of the `node` server: the common server options except `bindDevice`. */
export const nodeServerOptions = z.strictObject(nodeServerShape);

export type NodeServerOptions = z.output<typeof nodeServerOptions>;

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
