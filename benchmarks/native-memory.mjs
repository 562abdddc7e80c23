#!/usr/bin/env node
// Peak memory of the native generator at many connections: runs the plugin in this process against
// URL with N connections for BENCH_SECONDS and prints requests, req/s and peak RSS (VmHWM) as JSON.
// Usage: node benchmarks/native-memory.mjs URL N   (generators.mjs runs it pinned, against nginx)
import { readFileSync } from 'node:fs';
import native, { nativeOptionsSchema } from '@iobench/plugin-native';

const [url, connectionsText] = process.argv.slice(2);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rssMb = (field) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;

const baseRssMb = rssMb('VmRSS');
const result = await native.run(
  {
    log: () => {},
    signal: new AbortController().signal,
    params: {
      connections: Number(connectionsText),
      durationMs: seconds * 1000,
      threads: 1,
      pipelining: 1,
      timeoutMs: 10_000,
    },
  },
  { url },
  nativeOptionsSchema.parse({}),
);
console.log(
  JSON.stringify({
    requests: result.requests,
    rps: (result.requests / result.durationMs) * 1000,
    errors: result.errors,
    baseRssMb,
    peakRssMb: rssMb('VmHWM'),
  }),
);
