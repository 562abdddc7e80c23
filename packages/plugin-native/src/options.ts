/** The options of the `native` load generator: its schema (the only home of the defaults) and the type it parses to. */
import { generatorOptionsShape } from '@iobench/load-kit';
import { z } from 'zod';

export const nativeOptionsSchema = z.strictObject({
  ...generatorOptionsShape,
  engine: z
    .enum(['epoll', 'io_uring'])
    .default('epoll')
    .describe(
      'I/O engine of each generator thread: epoll (edge-triggered, one send and one recv per request) or io_uring (connects, sends and multishot receives as SQEs, one io_uring_enter per round; Linux 5.19+)',
    ),
});

export type NativeOptions = z.output<typeof nativeOptionsSchema>;
