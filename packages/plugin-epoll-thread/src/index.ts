/**
 * @iobench/plugin-epoll-thread: the original experiment's `server_epoll_thread` — an epoll loop that hands every
 * ready request to an OS thread created for it and ended after it. Its options schema and definition;
 * the server is in epoll-thread-server.ts, why it exists and what it costs in README.md.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { startEpollThreadServer } from './epoll-thread-server.js';
import { type EpollThreadServerOptions, epollThreadServerOptions } from './options.js';

export * from './options.js';

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
