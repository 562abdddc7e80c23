/**
 * @iobench/plugin-native: iobench's default load generator. An HTTP/1.x client whose hot loop is
 * TypeScript over the iobench syscall layer — non-blocking sockets on one edge-triggered epoll loop
 * per thread, requests prebuilt as bytes, responses framed in place — so that the generator, not
 * only the servers, runs at the speed of the syscalls. Closed model, open model (fixed rate,
 * latency corrected for coordinated omission), pipelining, reconnect per request, threads.
 */
import { defineLoadPlugin } from '@iobench/core';
import { type NativeOptions, nativeOptionsSchema } from './options.js';
import { runNativeLoad } from './run-load.js';

export * from './options.js';

export const nativePlugin = defineLoadPlugin<NativeOptions>({
  name: 'native',
  description:
    'HTTP/1.x load on io_uring or epoll over the syscall layer: keep-alive or reconnect per request, pipelining, threads, closed or open model',
  options: nativeOptionsSchema,
  // Plain TCP over the syscall layer: no TLS.
  supports: {
    rate: true,
    arrivals: true,
    requests: true,
    pipelining: true,
    threads: true,
    request: true,
    requestList: true,
  },
  run: runNativeLoad,
});

export default nativePlugin;
