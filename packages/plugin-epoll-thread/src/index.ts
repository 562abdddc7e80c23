/**
 * @iobench/plugin-epoll-thread: the original experiment's `server_epoll_thread` — an epoll loop that hands every
 * ready request to an OS thread created for it and ended after it. Its options schema and definition;
 * the server is in epoll-thread-server.ts, why it exists and what it costs in README.md.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';
import { startEpollThreadServer } from './epoll-thread-server.js';

/**
 * Upper bound of `maxThreads`: every live thread owes the loop one 16-byte record in the done pipe,
 * and 4096 records fill its default 64 KiB exactly (a thread facing a full pipe waits, never loses it).
 */
export const MAX_THREADS_LIMIT = 4096;

/** Options of the `epoll-thread` server. */
export const epollThreadServerOptions = z.strictObject({
  ...commonServerOptions,
  maxThreads: z
    .number()
    .int()
    .min(1)
    .max(MAX_THREADS_LIMIT)
    .default(1000)
    .describe('most request threads alive at once; further ready requests wait, first come first served'),
  maxEvents: z.number().int().min(1).max(65536).default(512).describe('maxevents of each epoll_wait round'),
});
export type EpollThreadServerOptions = z.output<typeof epollThreadServerOptions>;

/** epoll on the main thread's event loop, a new native thread per request for the handler work and the send. */
export const epollThreadServer = defineServerPlugin<EpollThreadServerOptions>({
  name: 'epoll-thread',
  description: "epoll loop creating a new OS thread for every request (the original experiment's server_epoll_thread)",
  options: epollThreadServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: startEpollThreadServer,
});

const plugins: ServerPlugin<any>[] = [epollThreadServer];
export default plugins;
