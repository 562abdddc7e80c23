/**
 * Waiting, on the parent's side, for a thread's protocol message. Every way a thread can fail to
 * send it rejects the wait, naming the thread: a `failed` message, an uncaught error, an exit, or
 * silence past the timeout. The wait only listens: ending the thread is the caller's decision.
 */
import type { Worker } from 'node:worker_threads';
import { isThreadMessage, type ResultMessage, type ThreadToParent, threadErrorToError } from './messages.js';

export interface ThreadWaitOptions {
  /** Names the thread in errors, e.g. `native load thread` (its thread id is added). */
  label: string;
  /** Rejects when the message has not come within this many milliseconds (default: waits as long as the thread lives). */
  timeoutMs?: number;
}

/** Resolves with the first `type` message `worker` posts; rejects as the module says. */
export function waitForThreadMessage<T extends ThreadToParent['type']>(
  worker: Worker,
  type: T,
  options: ThreadWaitOptions,
): Promise<Extract<ThreadToParent, { type: T }>> {
  const name = `${options.label} ${worker.threadId}`;
  return new Promise((resolve, reject) => {
    const settle = (err: Error | undefined, message?: Extract<ThreadToParent, { type: T }>) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (err === undefined) resolve(message!);
      else reject(err);
    };
    const onMessage = (message: unknown) => {
      if (isThreadMessage(message, 'failed')) {
        const cause = threadErrorToError(message.error);
        settle(new Error(`${name} failed: ${cause.message}`, { cause }));
      } else if (isThreadMessage(message, type)) {
        settle(undefined, message as Extract<ThreadToParent, { type: T }>);
      }
    };
    const onError = (err: Error) => settle(new Error(`${name} failed: ${err.message}`, { cause: err }));
    const onExit = (code: number) => settle(new Error(`${name} exited with code ${code} before it posted ${type}`));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => settle(new Error(`${name} posted no ${type} within ${options.timeoutMs} ms`)),
            options.timeoutMs,
          );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Waits for the thread's `ready`; resolves with the facts it found at setup. */
export async function waitForReady(worker: Worker, options: ThreadWaitOptions): Promise<Record<string, number>> {
  return (await waitForThreadMessage(worker, 'ready', options)).facts;
}

/** Waits for the thread's `result`; `R` is what the thread's side of the caller's code posts. */
export async function waitForResult<R>(worker: Worker, options: ThreadWaitOptions): Promise<R> {
  return ((await waitForThreadMessage(worker, 'result', options)) as ResultMessage<R>).result;
}
