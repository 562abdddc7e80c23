/**
 * Worker-thread entry: runs one thread's share of the load and posts back its result (histograms
 * encoded, so the parent merges them exactly). Protocol: worker posts `ready`; parent posts `start`
 * (or `stop`, which also ends a running load early); worker posts `{ result }` and keeps its
 * connections open until the parent terminates it, once every thread has reported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProgressSlot } from '@iobench/load-kit';
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

port.on('message', (message: 'start' | 'stop') => {
  if (message === 'stop') {
    controller.abort();
    return;
  }
  runThread(input.spec, controller.signal, input.progress).then(
    ({ result }) => port.postMessage({ result }),
    (err: unknown) => {
      throw err;
    },
  );
});
port.postMessage('ready');
