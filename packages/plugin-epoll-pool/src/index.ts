/**
 * @iobench/plugin-epoll-pool: the `epoll-pool` server, its options schema and definition: the epoll
 * loop of `@iobench/plugin-epoll` with the handler work batched onto a piscina pool. The server
 * itself is in epoll-pool-server.ts; why it wins with heavy handlers and loses with trivial ones, in
 * pool-dispatcher.ts.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';
import { startEpollPoolServer } from './epoll-pool-server.js';

/** Options of the `epoll-pool` server. */
export const epollPoolServerOptions = z.strictObject({
  ...commonServerOptions,
  threads: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(10)
    .describe("piscina pool threads running the handler work (10 = the original experiment's ThreadPoolExecutor)"),
  minTaskWorkUs: z
    .number()
    .int()
    .min(0)
    .default(200)
    .describe('spread a round over more pool tasks only while each carries this much handler work (µs); 0 = always'),
  maxEvents: z.number().int().min(1).max(65536).default(512).describe('maxevents of each epoll_wait round'),
});
export type EpollPoolServerOptions = z.output<typeof epollPoolServerOptions>;

/** epoll on the main thread's event loop, handler work batched onto a piscina pool. */
export const epollPoolServer = defineServerPlugin<EpollPoolServerOptions>({
  name: 'epoll-pool',
  description: 'epoll loop with the handler work batched onto a piscina worker pool (default 10 threads)',
  options: epollPoolServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: startEpollPoolServer,
});

const plugins: ServerPlugin<any>[] = [epollPoolServer];
export default plugins;
