/**
 * Runs the thread specs: one spec in this thread (no worker start-up cost), several in worker
 * threads started together once all have loaded. Aborting `signal` stops every thread, and the
 * results measured so far still come back.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import type { ProgressBoard } from '@iobench/load-kit';
import { runThread } from './load-thread.js';
import type { ThreadSpec, UndiciThreadResult } from './thread-spec.js';
import type { WorkerInput } from './worker.js';

function startWorker(workerData: WorkerInput): Worker {
  return spawnModuleWorker(siblingModule(import.meta.url, 'worker'), { workerData });
}

export async function runThreads(
  specs: ThreadSpec[],
  signal: AbortSignal,
  board: ProgressBoard,
): Promise<UndiciThreadResult[]> {
  if (specs.length === 1) {
    const run = await runThread(specs[0]!, signal, board.slot(0));
    await run.close();
    return [run.result];
  }
  const workers = specs.map((spec, i) => startWorker({ spec, progress: board.slot(i) }));
  const stopAll = () => {
    for (const w of workers) w.postMessage('stop');
  };
  signal.addEventListener('abort', stopAll, { once: true });
  try {
    const ready = workers.map((w) => waitFor(w, (m) => m === 'ready'));
    await Promise.all(ready);
    const results = workers.map((w) => waitFor(w, (m) => typeof m === 'object' && m !== null && 'result' in m));
    for (const w of workers) w.postMessage('start');
    const messages = await Promise.all(results);
    return messages.map((m) => (m as { result: UndiciThreadResult }).result);
  } finally {
    signal.removeEventListener('abort', stopAll);
    // Terminating a worker closes its connections; all threads have stopped measuring by now.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Resolves with the first message matching `accept`; rejects if the worker fails or exits first. */
function waitFor(worker: Worker, accept: (message: unknown) => boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`undici load worker ${worker.threadId} failed: ${err.message}`, { cause: err }));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`undici load worker ${worker.threadId} exited with code ${code} before reporting`));
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
