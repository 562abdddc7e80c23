/** The options of the `epoll-pool` server: its schema (the only home of the defaults) and the type it parses to. */
import { commonServerOptions } from '@iobench/serving';
import { z } from 'zod';

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
