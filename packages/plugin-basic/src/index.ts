/**
 * @iobench/plugin-basic: the `basic` server, blocking and iterative — one connection at a time.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { siblingModule, startSocketServer } from '@iobench/server-kit';
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';

/** Options of the `basic` server: the common ones, with keep-alive off by default (like the original experiment). */
export const basicServerOptions = z.strictObject({
  ...commonServerOptions,
  keepAlive: z
    .boolean()
    .default(false)
    .describe(
      'serve each connection until the client closes it; other connections wait meanwhile (head-of-line starvation)',
    ),
});
export type BasicServerOptions = z.output<typeof basicServerOptions>;

/** Blocking accept, serve, close; one connection at a time. */
export const basicServer = defineServerPlugin<BasicServerOptions>({
  name: 'basic',
  description: 'blocking iterative server: accept, serve one connection, close (one request per connection by default)',
  options: basicServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: (ctx, options) =>
    startSocketServer(ctx, options, { loopModule: siblingModule(import.meta.url, 'basic-loop'), blocking: true }),
});

const plugins: ServerPlugin<any>[] = [basicServer];
export default plugins;
