/**
 * @iobench/plugin-wrk: the `wrk` load generator. Runs the wrk binary (closed model), and rebuilds an
 * exact HDR latency histogram from wrk's own latency buckets through a generated Lua script.
 * wrk keeps one set of buckets for the whole run, so its points have no per-second series: no
 * throughput or latency over time, and their hlog holds one interval.
 */
import { defineLoadPlugin } from '@iobench/core';
import { z } from 'zod';
import { runWrk } from './run-wrk.js';

/** Options of the `wrk` load plugin; every default lives here. */
export const wrkOptionsSchema = z.strictObject({
  /** wrk executable: a name looked up in PATH, or a path. */
  binary: z.string().min(1).default('wrk').describe('wrk executable, a name in PATH or a path'),
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
  // (wrk-command.ts); it has threads, and speaks TLS itself but never checks certificates (no
  // tlsVerify: --cacert is refused; it always runs as if --insecure). Requests come as Lua.
  supports: { threads: true, tls: true, request: true, requestList: true },
  run: (ctx, target, options) => runWrk(ctx, target, options),
});

export default wrkPlugin;
