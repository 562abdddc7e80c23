/**
 * Waiting on a generator thread's messages (`ready`, `{ result }`), for the in-process generators
 * that run their load in worker threads. A worker that fails, exits first, or reports
 * `{ setupError }` rejects the wait, naming the thread.
 */
import type { Worker } from 'node:worker_threads';

/** Resolves with the first message matching `accept`; `label` names the thread in errors (`native load thread`). */
export function waitForMessage(worker: Worker, accept: (message: unknown) => boolean, label: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'setupError' in message) {
        cleanup();
        reject(new Error(`${label} could not start: ${(message as { setupError: string }).setupError}`));
        return;
      }
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`${label} ${worker.threadId} failed: ${err.message}`, { cause: err }));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`${label} ${worker.threadId} exited with code ${code} before reporting`));
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

/** `{ result }`: the message a generator thread ends its measured phase with. */
export const isResultMessage = (message: unknown): message is { result: unknown } =>
  typeof message === 'object' && message !== null && 'result' in message;
