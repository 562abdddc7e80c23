/**
 * The piscina worker of the `epoll-pool` server: where the handler work runs. A task is a batch, and
 * its payload is only the number of requests in it: the handler work is the same for every request
 * (`workerData.work`), and the loop thread keeps the requests themselves, so a task crosses threads
 * as one small number each way. That keeps the hand-off cheap, but never free: see epoll-pool-loop.ts.
 *
 * These threads issue no syscalls through @iobench/syscalls (a `wait` handler blocks in Atomics.wait,
 * which is a futex, counted by strace but not by the syscall layer's counters).
 */

import { workerData } from 'node:worker_threads';
import { type HandlerWork, performWork } from '@iobench/serving';

/** What the server passes to every pool thread. */
export interface PoolWorkerData {
  work: HandlerWork;
}

const { work } = workerData as PoolWorkerData;

/** Runs the handler work for `requests` requests, one after the other, as a request handler thread would. */
export default function runBatch(requests: number): number {
  if (work.kind !== 'none') {
    for (let i = 0; i < requests; i++) performWork(work);
  }
  return requests;
}

/** Barrier task for start-up: arrive, then wait until `threads` tasks arrived (or `timeoutMs` passed). */
export function warmUp(task: { arrived: SharedArrayBuffer; threads: number; timeoutMs: number }): number {
  const arrived = new Int32Array(task.arrived);
  Atomics.add(arrived, 0, 1);
  Atomics.notify(arrived, 0);
  const deadline = Date.now() + task.timeoutMs;
  for (;;) {
    const seen = Atomics.load(arrived, 0);
    const leftMs = deadline - Date.now();
    if (seen >= task.threads || leftMs <= 0) return seen;
    Atomics.wait(arrived, 0, seen, leftMs);
  }
}
