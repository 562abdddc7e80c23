/**
 * Runs the thread specs: one spec in this thread (no worker start-up cost), several in worker
 * threads started together once all have loaded. Aborting `signal` stops every thread, and the
 * results measured so far still come back.
 */
import type { Worker } from 'node:worker_threads';
import { threadMessage, waitForReady, waitForResult } from '@iobench/core/thread';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import type { ProgressBoard } from '@iobench/load-kit';
import { runThread } from './load-thread.js';
import type { ThreadSpec, UndiciThreadResult } from './thread-spec.js';
import type { WorkerInput } from './worker.js';

const LABEL = 'undici load worker';

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
    for (const w of workers) w.postMessage(threadMessage.stop());
  };
  signal.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(workers.map((w) => waitForReady(w, { label: LABEL })));
    const results = workers.map((w) => waitForResult<UndiciThreadResult>(w, { label: LABEL }));
    for (const w of workers) w.postMessage(threadMessage.start());
    return await Promise.all(results);
  } finally {
    signal.removeEventListener('abort', stopAll);
    // Terminating a worker closes its connections; all threads have stopped measuring by now.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
