/** The options of the `epoll-thread` server: its schema (the only home of the defaults) and the type it parses to. */
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';

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
