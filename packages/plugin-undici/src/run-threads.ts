/**
 * Runs the thread specs: one spec in this thread (no worker start-up cost), several in worker
 * threads started together once all have loaded. Aborting `signal` stops every thread, and the
 * results measured so far still come back.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import { isResultMessage, type ProgressBoard, waitForMessage } from '@iobench/load-kit';
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
    const ready = workers.map((w) => waitForMessage(w, (m) => m === 'ready', 'undici load worker'));
    await Promise.all(ready);
    const results = workers.map((w) => waitForMessage(w, isResultMessage, 'undici load worker'));
    for (const w of workers) w.postMessage('start');
    const messages = await Promise.all(results);
    return messages.map((m) => (m as { result: UndiciThreadResult }).result);
  } finally {
    signal.removeEventListener('abort', stopAll);
    // Terminating a worker closes its connections; all threads have stopped measuring by now.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
