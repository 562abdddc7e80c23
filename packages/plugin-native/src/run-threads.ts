/**
 * Runs the thread specs, each in its own worker thread (even one: the loop blocks its thread in
 * epoll, and the caller's thread must stay free for progress and aborts). Threads start together
 * once all are ready; aborting `signal` stops every loop through one stop signal (flag + eventfd),
 * and what was measured so far still comes back. Sockets are closed by the threads themselves (a
 * terminated worker would leak them: they are raw fds, not Node handles).
 */
import type { Worker } from 'node:worker_threads';
import { StopController, threadMessage, waitForReady, waitForResult } from '@iobench/core/thread';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import type { ProgressBoard } from '@iobench/load-kit';
import * as sys from '@iobench/syscalls';
import type { NativeThreadResult, NativeThreadSpec } from './thread-spec.js';
import type { WorkerInput } from './worker.js';

const LABEL = 'native load thread';
/** How long a worker may take to close its sockets and exit before it is terminated. */
const EXIT_GRACE_MS = 2000;

export async function runThreads(
  specs: NativeThreadSpec[],
  signal: AbortSignal,
  board: ProgressBoard,
  /** Called when every thread is ready, right before they start. */
  started: () => void,
): Promise<NativeThreadResult[]> {
  const stop = new StopController(sys);
  const workers = specs.map((spec, i) =>
    spawnModuleWorker(siblingModule(import.meta.url, 'worker'), {
      workerData: { spec, stop: stop.signal, progress: board.slot(i) } satisfies WorkerInput,
    }),
  );
  const stopAll = () => stop.request();
  signal.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(workers.map((w) => waitForReady(w, { label: LABEL })));
    const results = workers.map((w) => waitForResult<NativeThreadResult>(w, { label: LABEL }));
    if (signal.aborted) stopAll();
    started();
    for (const w of workers) w.postMessage(threadMessage.start());
    return await Promise.all(results);
  } finally {
    signal.removeEventListener('abort', stopAll);
    await Promise.all(workers.map((w) => closeWorker(w)));
    stop.close();
  }
}

/** Asks the worker to close its sockets and waits for it to exit; terminates it after a grace period. */
async function closeWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage(threadMessage.close());
  const timer = setTimeout(() => void worker.terminate(), EXIT_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
