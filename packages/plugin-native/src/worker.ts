/**
 * Generator-thread entry, on the thread-control protocol (`@iobench/core/thread`): the worker builds
 * its loop and posts `ready` (or `failed`); the parent posts `start`; the worker runs the measured
 * phase (blocking its thread in epoll), posts `result`, and keeps its connections open until the
 * parent posts `close` once every thread has reported — a thread that ends a moment early must not
 * close while the others measure, or a one-connection-at-a-time server would serve a starved
 * connection and hide its starvation. Stopping early goes through the stop signal (flag + eventfd),
 * since a blocked loop reads no messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isThreadMessage, type StopSignal, threadMessage } from '@iobench/core/thread';
import type { ProgressSlot } from '@iobench/load-kit/thread';
import * as sys from '@iobench/syscalls';
import { EpollEngine } from './epoll-engine.js';
import type { LoadEngine } from './load-engine.js';
import type { NativeThreadResult, NativeThreadSpec } from './thread-spec.js';
import { UringEngine } from './uring-engine.js';

/** What the parent passes as `workerData`. */
export interface WorkerInput {
  spec: NativeThreadSpec;
  /** Ends the measured phase early; shared by every thread of the run. */
  stop: StopSignal;
  /** This thread's slot of the shared progress board. */
  progress: ProgressSlot;
}

const input = workerData as WorkerInput;
const port = parentPort!;
let loop: LoadEngine | undefined;
try {
  const Engine = input.spec.engine === 'io_uring' ? UringEngine : EpollEngine;
  loop = new Engine(input.spec, input.stop, input.progress);
  port.postMessage(threadMessage.ready());
} catch (err) {
  port.postMessage(threadMessage.failed(err));
}

port.on('message', (message: unknown) => {
  if (isThreadMessage(message, 'start') && loop !== undefined) {
    // A failed phase is reported, not thrown: the thread must live on to close its raw fds.
    // The syscall layer counts the phase's calls into this thread's own counters (no cache line
    // shared with the other threads' atomic adds).
    const counters = new sys.SyscallCounters();
    sys.useCounters(counters);
    try {
      const result: NativeThreadResult = loop.run();
      result.syscalls = counters.snapshot();
      if (loop instanceof UringEngine) result.uring = loop.counters;
      port.postMessage(threadMessage.result(result));
    } catch (err) {
      port.postMessage(threadMessage.failed(err));
    } finally {
      sys.useCounters(null);
    }
  } else if (isThreadMessage(message, 'close')) {
    loop?.close();
    port.close();
  }
});
