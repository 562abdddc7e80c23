/** The options of the `undici` load generator: its schema (the only home of the defaults) and the type it parses to. */
import { existsSync } from 'node:fs';
import { requestOptionsShape } from '@iobench/load-kit';
import { z } from 'zod';

export const undiciOptionsSchema = z.strictObject({
  ...requestOptionsShape,
  insecure: z
    .boolean()
    .default(false)
    .describe('https:// targets: accept any certificate (self-signed, expired, another name), like curl -k'),
  ca: z
    .string()
    .min(1)
    .refine((path) => existsSync(path), 'must name an existing PEM file')
    .optional()
    .describe(
      'https:// targets: a PEM file of CA certificates (or the self-signed certificate itself) to trust besides the system ones; a relative path is read from the working directory',
    ),
});

export type UndiciOptions = z.output<typeof undiciOptionsSchema>;
