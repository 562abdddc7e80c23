/**
 * @iobench/plugin-wrk: the `wrk` load generator. Runs the wrk binary (closed model), and rebuilds an
 * exact HDR latency histogram from wrk's own latency buckets through a generated Lua script.
 * wrk keeps one set of buckets for the whole run, so its points have no per-second series: no
 * throughput or latency over time, and their hlog holds one interval.
 */
import { defineLoadPlugin } from '@iobench/core';
import { z } from 'zod';
import { runWrk } from './run-wrk.js';

/** A header name or value must not break wrk's request line (no CR or LF). */
const noLineBreaks = (what: string) => z.string().refine((s) => !/[\r\n]/.test(s), `${what} must not contain CR or LF`);

/** Options of the `wrk` load plugin; every default lives here. */
export const wrkOptionsSchema = z.strictObject({
  /** wrk executable: a name looked up in PATH, or a path. */
  binary: z.string().min(1).default('wrk').describe('wrk executable, a name in PATH or a path'),
  /** Request path (and query), resolved against the target URL; default: the target URL's own. */
  path: z
    .string()
    .startsWith('/', 'path must start with "/"')
    .optional()
    .describe("request path and query, e.g. /index.html?x=1 (default: the target URL's)"),
  method: z
    .string()
    .regex(/^[A-Z]+$/, 'method must be an upper-case HTTP method, e.g. GET')
    .default('GET')
    .describe('HTTP method'),
  headers: z
    .record(
      noLineBreaks('header name').pipe(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'header name must be an HTTP token'),
      ),
      noLineBreaks('header value'),
    )
    .default({})
    .describe('extra request headers, name -> value'),
  body: z.string().optional().describe('request body (wrk adds Content-Length)'),
  /**
   * Count responses by status code. Off by default: it takes a Lua `response()` hook, and with one
   * wrk collects every response's headers into Lua and calls into Lua per response, which lowers the
   * throughput it can drive. Off, wrk still counts responses of status 400 and above (`errors.status`).
   */
  statusCodes: z
    .boolean()
    .default(false)
    .describe(
      'count responses by status code (a Lua response() hook: wrk then hands every response to Lua, which costs it throughput); off, responses of 400 and above are still counted as status errors',
    ),
});

export type WrkOptions = z.infer<typeof wrkOptionsSchema>;

/** The `wrk` load plugin. */
export const wrkPlugin = defineLoadPlugin<WrkOptions>({
  name: 'wrk',
  description: 'wrk (closed model, C, epoll) with an exact latency histogram from its own buckets',
  options: wrkOptionsSchema,
  // wrk runs the closed model for a duration only, and records one latency per pipelined batch
  // (wrk-command.ts); it has threads and speaks TLS itself.
  supports: { threads: true, tls: true },
  run: (ctx, target, options) => runWrk(ctx, target, options),
});

export default wrkPlugin;
