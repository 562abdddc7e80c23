/** The options of the `native` load generator: its schema (the only home of the defaults) and the type it parses to. */
import { generatorOptionsShape } from '@iobench/load-kit';
import { z } from 'zod';

export const nativeOptionsSchema = z.strictObject({
  ...generatorOptionsShape,
  engine: z
    .enum(['auto', 'epoll', 'io_uring'])
    .default('auto')
    .describe(
      'I/O engine of each generator thread: io_uring (connects, sends and multishot receives as SQEs, one io_uring_enter per round; Linux 5.19+), epoll (edge-triggered, one send and one recv per request), or auto: io_uring for the closed model where this kernel and its seccomp policy allow it, epoll for the open model (--rate: tighter send timing) and wherever io_uring cannot run (the engine that ran is in the results, loadStats.ioEngine)',
    ),
});

export type NativeOptions = z.output<typeof nativeOptionsSchema>;
