/**
 * Syscalls per request of each engine, from the syscall layer's own counters: runs one engine on
 * this thread (no worker, so the counters see exactly the loop's calls) against a server already
 * listening at the given URL, bounded by a request limit. Not a benchmark: a count.
 *   node --import tsx --conditions @iobench/source test/support/count-syscalls.ts URL [requests] [connections]
 */
import { requestBytes } from '@iobench/core';
import { StopController } from '@iobench/core/thread';
import * as sys from '@iobench/syscalls';
import { EpollEngine } from '../../src/epoll-engine.js';
import type { NativeEngine, NativeThreadSpec } from '../../src/thread-spec.js';
import { UringEngine } from '../../src/uring-engine.js';

const url = new URL(process.argv[2]!);
const requests = Number(process.argv[3] ?? 20_000);
const connections = Number(process.argv[4] ?? 16);
const stop = new StopController(sys);
for (const close of [false, true]) {
  for (const engine of ['epoll', 'io_uring'] as NativeEngine[]) {
    const spec: NativeThreadSpec = {
      host: url.hostname,
      port: Number(url.port),
      requestList: [
        requestBytes({ method: 'GET', path: '/', headers: close ? [['connection', 'close']] : [] }, url.host),
      ],
      headOnly: [false],
      connections,
      pipelining: 1,
      durationMs: 20_000,
      requests: close ? requests / 10 : requests,
      timeoutMs: 2000,
      engine,
    };
    const loop = engine === 'io_uring' ? new UringEngine(spec, stop.signal) : new EpollEngine(spec, stop.signal);
    const counters = new sys.SyscallCounters();
    sys.useCounters(counters);
    const result = loop.run();
    sys.useCounters(null);
    loop.close();
    const counts = counters.snapshot();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const per = Object.entries(counts)
      .map(([name, n]) => `${name} ${(n / result.requests).toFixed(3)}`)
      .join(', ');
    const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
    console.log(
      `${engine.padEnd(8)} ${close ? 'close    ' : 'keepalive'} ${result.requests} responses, ${errors} errors: ` +
        `${(total / result.requests).toFixed(3)} syscalls/request (${per})`,
    );
  }
}
stop.close();
