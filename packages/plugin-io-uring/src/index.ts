/**
 * @iobench/plugin-io-uring: the `io-uring` server, a completion-based loop on io_uring(7). The
 * module refuses to load where io_uring cannot be used (kernel, sysctl, seccomp), saying why, so
 * `iobench list` shows the server as unavailable and `iobench run --server io-uring` fails early.
 */
import { COMMON_SERVER_OPTIONS, defineServerPlugin, IobenchError, type ServerPlugin } from '@iobench/core';
import { siblingModule, startSocketServer } from '@iobench/server-kit';
import { ioUringSupport } from '@iobench/syscalls';
import { type IoUringServerOptions, ioUringServerOptions, schemas } from './schema.js';
import { URING_COUNTERS } from './uring-ops.js';

const support = ioUringSupport();
if (!support.available) {
  throw new IobenchError(
    'IOBENCH_PLATFORM_UNSUPPORTED',
    `io_uring is unavailable: ${support.reason}. Fix: ${support.fix}`,
    {
      suggestions: [support.fix],
    },
  );
}

export { type IoUringServerOptions, ioUringServerOptions } from './schema.js';

/** One ring per loop thread (`loops`, default 1): accepts, receives and sends are SQEs, one io_uring_enter per round. */
export const ioUringServer = defineServerPlugin<IoUringServerOptions>({
  name: 'io-uring',
  description: schemas[0].description,
  options: ioUringServerOptions,
  commonOptions: COMMON_SERVER_OPTIONS,
  start: (ctx, options) =>
    startSocketServer(ctx, options, {
      loopModule: siblingModule(import.meta.url, 'uring-loop'),
      extraCounters: URING_COUNTERS,
      loops: options.loops,
    }),
});

const plugins: ServerPlugin<any>[] = [ioUringServer];
export default plugins;
