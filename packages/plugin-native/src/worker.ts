/**
 * Generator-thread entry. Protocol: the worker builds its loop and posts `ready`; the parent posts
 * `start`; the worker runs the measured phase (blocking its thread in epoll), posts `{ result }`,
 * and keeps its connections open until the parent posts `close` once every thread has reported —
 * a thread that ends a moment early must not close while the others measure, or a
 * one-connection-at-a-time server would serve a starved connection and hide its starvation.
 * Stopping early goes through shared memory and an eventfd, since a blocked loop reads no messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProgressSlot } from '@iobench/load-kit/thread';
import { LoadLoop } from './load-loop.js';
import type { NativeThreadSpec } from './thread-spec.js';

/** What the parent passes as `workerData`. */
export interface WorkerInput {
  spec: NativeThreadSpec;
  /** `[stop]`: set non-zero to end the phase early. */
  stopFlag: Int32Array;
  /** eventfd the parent writes to wake the loop after setting `stopFlag`. */
  wakeFd: number;
  /** This thread's slot of the shared progress board. */
  progress: ProgressSlot;
}

const input = workerData as WorkerInput;
const port = parentPort!;
let loop: LoadLoop | undefined;
try {
  loop = new LoadLoop(input.spec, { flag: input.stopFlag, wakeFd: input.wakeFd }, input.progress);
  port.postMessage('ready');
} catch (err) {
  port.postMessage({ setupError: (err as Error).message });
}

port.on('message', (message: 'start' | 'close') => {
  if (loop === undefined) return;
  if (message === 'start') {
    port.postMessage({ result: loop.run() });
  } else {
    loop.close();
    port.close();
  }
});
