/** The options of the `node` server: its schema (the only home of the defaults) and the type it parses to. */
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';

// node:http cannot bind to a device, so `bindDevice` is left out: passing it is an unknown-key error.
const { bindDevice: _unsupported, ...nodeServerShape } = commonServerOptions;

/** Options of the `node` server: the common server options except `bindDevice`. */
export const nodeServerOptions = z.strictObject(nodeServerShape);

export type NodeServerOptions = z.output<typeof nodeServerOptions>;
