/**
 * Runs the thread specs, each in its own worker thread (even one: the loop blocks its thread in
 * epoll, and the caller's thread must stay free for progress and aborts). Threads start together
 * once all are ready; aborting `signal` stops every loop through a shared flag and an eventfd, and
 * what was measured so far still comes back. Sockets are closed by the threads themselves (a
 * terminated worker would leak them: they are raw fds, not Node handles).
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import { isResultMessage, type ProgressBoard, waitForMessage } from '@iobench/load-kit';
import * as sys from '@iobench/syscalls';
import type { NativeThreadResult, NativeThreadSpec } from './thread-spec.js';
import type { WorkerInput } from './worker.js';

const { constants: c } = sys;
/** How long a worker may take to close its sockets and exit before it is terminated. */
const EXIT_GRACE_MS = 2000;

export async function runThreads(
  specs: NativeThreadSpec[],
  signal: AbortSignal,
  board: ProgressBoard,
): Promise<NativeThreadResult[]> {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const wakeFd = sys.eventfd(0, c.EFD_CLOEXEC | c.EFD_NONBLOCK);
  const workers = specs.map((spec, i) =>
    spawnModuleWorker(siblingModule(import.meta.url, 'worker'), {
      workerData: { spec, stopFlag, wakeFd, progress: board.slot(i) } satisfies WorkerInput,
    }),
  );
  const stopAll = () => {
    Atomics.store(stopFlag, 0, 1);
    sys.eventfdWrite(wakeFd, 1);
  };
  signal.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(workers.map((w) => waitForMessage(w, (m) => m === 'ready', 'native load thread')));
    const results = workers.map((w) => waitForMessage(w, isResultMessage, 'native load thread'));
    if (signal.aborted) stopAll();
    for (const w of workers) w.postMessage('start');
    const messages = await Promise.all(results);
    return messages.map((m) => (m as { result: NativeThreadResult }).result);
  } finally {
    signal.removeEventListener('abort', stopAll);
    await Promise.all(workers.map((w) => closeWorker(w)));
    sys.close(wakeFd);
  }
}

/** Asks the worker to close its sockets and waits for it to exit; terminates it after a grace period. */
async function closeWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage('close');
  const timer = setTimeout(() => void worker.terminate(), EXIT_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
