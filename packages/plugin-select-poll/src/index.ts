/**
 * @iobench/plugin-select-poll: the `select` and `poll` servers, one non-blocking loop each.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { siblingModule, startSocketServer } from '@iobench/server-kit';
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';

/** Options of the `select` server (the common ones). */
export const selectServerOptions = z.strictObject({ ...commonServerOptions });
export type SelectServerOptions = z.output<typeof selectServerOptions>;

/** Options of the `poll` server (the common ones). */
export const pollServerOptions = z.strictObject({ ...commonServerOptions });
export type PollServerOptions = z.output<typeof pollServerOptions>;

/** One loop on select(2); connections on fds >= FD_SETSIZE are refused and counted. */
export const selectServer = defineServerPlugin<SelectServerOptions>({
  name: 'select',
  description: 'single non-blocking loop on select(2); refuses fds >= FD_SETSIZE (1024)',
  options: selectServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: (ctx, options) =>
    startSocketServer(ctx, options, { loopModule: siblingModule(import.meta.url, 'select-loop') }),
});

/** One loop on poll(2). */
export const pollServer = defineServerPlugin<PollServerOptions>({
  name: 'poll',
  description: 'single non-blocking loop on poll(2)',
  options: pollServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: (ctx, options) => startSocketServer(ctx, options, { loopModule: siblingModule(import.meta.url, 'poll-loop') }),
});

const plugins: ServerPlugin<any>[] = [selectServer, pollServer];
export default plugins;
