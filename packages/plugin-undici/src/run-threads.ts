/**
 * Runs the thread specs: one spec in this thread (no worker start-up cost), several in worker
 * threads started together once all have loaded. Aborting `signal` stops every thread, and the
 * results measured so far still come back.
 */
import { Worker } from 'node:worker_threads';
import { runThread, type ProgressCounters } from './load-thread.js';
import type { ThreadResult, ThreadSpec } from './thread-spec.js';
import type { WorkerInput } from './worker.js';

/** Under the test runner the sources are TypeScript (tsx); built, they are JavaScript. */
const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

export async function runThreads(specs: ThreadSpec[], signal: AbortSignal, counters: Float64Array): Promise<ThreadResult[]> {
  if (specs.length === 1) {
    const progress: ProgressCounters = { array: counters, offset: 0 };
    return [await runThread(specs[0]!, signal, progress)];
  }
  const workers = specs.map(
    (spec, i) => new Worker(workerUrl, { workerData: { spec, counters, offset: 2 * i } satisfies WorkerInput }),
  );
  const stopAll = () => workers.forEach((w) => w.postMessage('stop'));
  signal.addEventListener('abort', stopAll, { once: true });
  try {
    const ready = workers.map((w) => waitFor(w, (m) => m === 'ready'));
    await Promise.all(ready);
    const results = workers.map((w) => waitFor(w, (m) => typeof m === 'object' && m !== null && 'result' in m));
    for (const w of workers) w.postMessage('start');
    const messages = await Promise.all(results);
    return messages.map((m) => (m as { result: ThreadResult }).result);
  } finally {
    signal.removeEventListener('abort', stopAll);
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
