/**
 * @iobench/plugin-undici: the default iobench load generator. Keep-alive connections on undici's
 * low-level dispatch path, closed model (each connection sends when its response is complete) or
 * open model (a fixed rate, latency corrected for coordinated omission), optionally over worker
 * threads whose histograms merge exactly.
 */

import { existsSync } from 'node:fs';
import { defineLoadPlugin } from '@iobench/core';
import { requestOptionsShape } from '@iobench/load-kit';
import { z } from 'zod';
import { runUndiciLoad } from './run-load.js';

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

export const undiciPlugin = defineLoadPlugin<UndiciOptions>({
  name: 'undici',
  description:
    'HTTP/1.1 load on undici: keep-alive connections, pipelining, threads, closed or open (fixed-rate) model, http:// or https://',
  options: undiciOptionsSchema,
  supports: { rate: true, arrivals: true, requests: true, pipelining: true, threads: true, tls: true },
  run: runUndiciLoad,
});

export default undiciPlugin;
