/**
 * @iobench/plugin-epoll-pool: the `epoll-pool` server, its options schema and definition: the epoll
 * loop of `@iobench/plugin-epoll` with the handler work batched onto a piscina pool. The server
 * itself is in epoll-pool-server.ts; why it wins with heavy handlers and loses with trivial ones, in
 * pool-dispatcher.ts.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, type ServerPlugin } from '@iobench/core';
import { startEpollPoolServer } from './epoll-pool-server.js';
import { type EpollPoolServerOptions, epollPoolServerOptions } from './options.js';

export * from './options.js';

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
