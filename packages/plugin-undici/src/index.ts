/**
 * @iobench/plugin-undici: the default iobench load generator. Keep-alive connections on undici's
 * low-level dispatch path, closed model (each connection sends when its response is complete) or
 * open model (a fixed rate, latency corrected for coordinated omission), optionally over worker
 * threads whose histograms merge exactly.
 */

import { isIP } from 'node:net';
import { defineLoadPlugin } from '@iobench/core';
import { z } from 'zod';
import { runUndiciLoad } from './run-load.js';

/** HTTP method token (RFC 9110): what undici accepts as a method. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What undici accepts in a request target: visible ASCII and Latin-1, no spaces or controls. */
const PATH = /^\/[\u0021-\u00ff]*$/;
/** Header field value: no CR, LF or other controls (which would split the request). */
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

export const undiciOptionsSchema = z.strictObject({
  method: z
    .string()
    .regex(TOKEN, 'must be an HTTP method token such as GET or POST')
    .default('GET')
    .describe('HTTP method of every request'),
  path: z
    .string()
    .regex(PATH, 'must start with "/" and hold no spaces or control characters')
    .optional()
    .describe("Request path and query; defaults to the target URL's path and query"),
  headers: z
    .record(
      z.string().regex(TOKEN, 'header names must be HTTP tokens'),
      z.string().regex(HEADER_VALUE, 'header values must not contain CR, LF or other control characters'),
    )
    .default({})
    .describe('Extra request headers, e.g. { "accept": "text/plain" }'),
  body: z.string().optional().describe('Request body, sent with a Content-Length'),
  localAddress: z
    .string()
    .refine((a) => isIP(a) !== 0, 'must be an IP address of this host, e.g. 10.0.0.2 or fe80::2%eth1')
    .optional()
    .describe('Source address of every connection (bind before connect)'),
  saturationThreshold: z
    .number()
    .gt(0)
    .max(1)
    .default(0.9)
    .describe(
      'Event-loop utilisation or CPU per thread (fraction of a core) at which the generator counts as the bottleneck',
    ),
});

export type UndiciOptions = z.output<typeof undiciOptionsSchema>;

export const undiciPlugin = defineLoadPlugin<UndiciOptions>({
  name: 'undici',
  description:
    'HTTP/1.1 load on undici: keep-alive connections, pipelining, threads, closed or open (fixed-rate) model',
  options: undiciOptionsSchema,
  run: runUndiciLoad,
});

export default undiciPlugin;
