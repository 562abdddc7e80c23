/**
 * The `io-uring` server as config sees it: name, description and options, without the mechanics.
 * This module loads everywhere (index.ts refuses to load where io_uring cannot be used), so that
 * the config's JSON Schema, generated at build time, does not depend on the kernel, sysctl or
 * seccomp filter of the machine that builds it (a container build hides io_uring by default).
 */
import { commonServerOptions, loopsOption } from '@iobench/serving';
import { z } from 'zod';

/** Options of the `io-uring` server. */
export const ioUringServerOptions = z.strictObject({
  ...commonServerOptions,
  ...loopsOption,
  multishot: z
    .boolean()
    .default(true)
    .describe(
      'multishot accept and recv where the kernel has them (5.19 / 6.0); false: one SQE per accept and per recv',
    ),
  providedBuffers: z
    .boolean()
    .default(true)
    .describe(
      'receive into a provided-buffer ring (Linux 5.19) rather than a buffer per connection; multishot recv needs it',
    ),
});
export type IoUringServerOptions = z.output<typeof ioUringServerOptions>;

/** What the package's plugins are, for tools that describe plugins without running them. */
export const schemas = [
  {
    kind: 'server',
    name: 'io-uring',
    description:
      'single completion-based loop on io_uring(7): multishot accept and recv, provided buffers, sends as SQEs',
    options: ioUringServerOptions,
  },
] as const;
