/**
 * The options iobench's in-process generators (native, undici) share, so that `--load-opt
 * localAddress=…` means the same to each. What a request is (method, headers, body, the list of
 * `--requests-file`) is no option of a generator: iobench hands it to every generator in
 * `LoadTarget.requests`.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

export const generatorOptionsShape = {
  localAddress: z
    .string()
    .refine((a) => isIP(a.split('%')[0]!) !== 0, 'must be an IP address of this host, e.g. 10.0.0.2 or fe80::2%eth1')
    .optional()
    .describe('Source address of every connection (bind before connect)'),
  saturationThreshold: z
    .number()
    .gt(0)
    .max(1)
    .default(0.9)
    .describe(
      'Loop utilisation or CPU per thread (fraction of a core) at which the generator counts as the bottleneck',
    ),
};
