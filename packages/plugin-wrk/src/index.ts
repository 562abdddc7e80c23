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
