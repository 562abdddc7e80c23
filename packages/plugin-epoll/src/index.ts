/**
 * @iobench/plugin-epoll: the `epoll` server, one non-blocking loop on epoll(7) per loop thread. Its
 * loop (`EpollLoop`, on the `/loop` subpath) is also the I/O of `@iobench/plugin-epoll-pool`.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { siblingModule, startSocketServer } from '@iobench/server-kit';
import { commonServerOptions, loopsOption } from '@iobench/serving';
import { z } from 'zod';

/** Options of the `epoll` server. */
export const epollServerOptions = z.strictObject({
  ...commonServerOptions,
  ...loopsOption,
  edgeTriggered: z
    .boolean()
    .default(false)
    .describe('EPOLLET: register each connection once for in and out and drain it on every edge'),
  maxEvents: z.number().int().min(1).max(65536).default(512).describe('maxevents of each epoll_wait'),
});
export type EpollServerOptions = z.output<typeof epollServerOptions>;

/** One epoll instance per loop thread (`loops`, default 1), level-triggered by default. */
export const epollServer = defineServerPlugin<EpollServerOptions>({
  name: 'epoll',
  description: 'single non-blocking loop on epoll(7), level-triggered (edge-triggered as an option)',
  options: epollServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: (ctx, options) =>
    startSocketServer(ctx, options, { loopModule: siblingModule(import.meta.url, 'epoll-loop'), loops: options.loops }),
});

const plugins: ServerPlugin<any>[] = [epollServer];
export default plugins;
