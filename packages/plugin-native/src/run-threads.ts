/**
 * Runs the thread specs, each in its own worker thread (even one: the loop blocks its thread in
 * epoll, and the caller's thread must stay free for progress and aborts). Threads start together
 * once all are ready; aborting `signal` stops every loop through a shared flag and an eventfd, and
 * what was measured so far still comes back. Sockets are closed by the threads themselves (a
 * terminated worker would leak them: they are raw fds, not Node handles).
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import type { ProgressBoard } from '@iobench/load-kit';
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
    await Promise.all(workers.map((w) => waitFor(w, (m) => m === 'ready')));
    const results = workers.map((w) => waitFor(w, (m) => typeof m === 'object' && m !== null && 'result' in m));
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

/** Resolves with the first message matching `accept`; rejects if the worker fails, exits or reports a setup error. */
function waitFor(worker: Worker, accept: (message: unknown) => boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'setupError' in message) {
        cleanup();
        reject(new Error(`native load thread could not start: ${(message as { setupError: string }).setupError}`));
        return;
      }
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`native load thread ${worker.threadId} failed: ${err.message}`, { cause: err }));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`native load thread ${worker.threadId} exited with code ${code} before reporting`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
