/**
 * Worker-thread entry: runs one thread's share of the load and posts back its result (histograms
 * encoded, so the parent merges them exactly), on the thread-control protocol
 * (`@iobench/core/thread`): the worker posts `ready`; the parent posts `start` (or `stop`, which also
 * ends a running load early: this thread's event loop reads messages while it measures); the worker
 * posts `result` (or `failed`) and keeps its connections open until the parent terminates it, once
 * every thread has reported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isThreadMessage, threadMessage } from '@iobench/core/thread';
import type { ProgressSlot } from '@iobench/load-kit/thread';
import { runThread } from './load-thread.js';
import type { ThreadSpec } from './thread-spec.js';

/** What the parent passes as `workerData`. */
export interface WorkerInput {
  spec: ThreadSpec;
  /** This thread's slot of the shared progress board. */
  progress: ProgressSlot;
}

const input = workerData as WorkerInput;
const port = parentPort!;
const controller = new AbortController();

port.on('message', (message: unknown) => {
  if (isThreadMessage(message, 'stop')) {
    controller.abort();
  } else if (isThreadMessage(message, 'start')) {
    runThread(input.spec, controller.signal, input.progress).then(
      ({ result }) => port.postMessage(threadMessage.result(result)),
      (err: unknown) => port.postMessage(threadMessage.failed(err)),
    );
  }
});
port.postMessage(threadMessage.ready());
