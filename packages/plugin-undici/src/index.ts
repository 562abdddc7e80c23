/**
 * @iobench/plugin-undici: the default iobench load generator. Keep-alive connections on undici's
 * low-level dispatch path, closed model (each connection sends when its response is complete) or
 * open model (a fixed rate, latency corrected for coordinated omission), optionally over worker
 * threads whose histograms merge exactly.
 */

import { defineLoadPlugin } from '@iobench/core';
import { type UndiciOptions, undiciOptionsSchema } from './options.js';
import { runUndiciLoad } from './run-load.js';

export * from './options.js';

export const undiciPlugin = defineLoadPlugin<UndiciOptions>({
  name: 'undici',
  description:
    'HTTP/1.1 or HTTP/2 (--http2, over TLS) load on undici: keep-alive connections, pipelining or concurrent streams, threads, closed or open (fixed-rate) model, http:// or https://',
  options: undiciOptionsSchema,
  supports: {
    rate: true,
    arrivals: true,
    requests: true,
    pipelining: true,
    threads: true,
    tls: true,
    tlsVerify: true,
    request: true,
    requestList: true,
    http2: true,
  },
  run: runUndiciLoad,
});

export default undiciPlugin;
