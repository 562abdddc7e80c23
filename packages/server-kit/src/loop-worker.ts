/**
 * One loop of a socket server, seen from the host: its listening socket, its wake-up eventfd, its
 * counters (one writer each: the loop) and the worker thread that runs it. `startSocketServer` runs
 * one of these per loop (`loops`, SO_REUSEPORT) and sums what they count.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import * as sys from '@iobench/syscalls';
import type { ListeningSocket } from './listen-socket.js';
import type { LoopReadyMessage, LoopWorkerData } from './loop-context.js';
import { ServerCounters } from './server-counters.js';

const { constants: c } = sys;

/** How long `start` waits for the loop thread to say it runs (tsx startup included). */
const READY_TIMEOUT_MS = 15_000;

/** What every loop of one server shares. */
export type SharedLoopData<O> = Omit<
  LoopWorkerData<O>,
  'listenFd' | 'wakeFd' | 'serverCounters' | 'extraCounters' | 'cpu'
>;

export class LoopWorker {
  readonly listening: ListeningSocket;
  /** eventfd the host writes to wake the loop (each loop has its own: a loop that reads it resets it). */
  readonly wakeFd: number;
  readonly counters = new ServerCounters();
  /** The model's own counters (`ctx.extra`). */
  readonly extra: Float64Array;
  /** The CPU the loop thread pins itself to, or -1. */
  readonly cpu: number;
  /** What the loop reported at setup. */
  facts: Record<string, number> = {};
  /** Set when the loop thread failed after it started. */
  error: unknown;
  private worker: Worker | undefined;
  private exited: Promise<unknown> | undefined;

  constructor(listening: ListeningSocket, extraCount: number, cpu: number) {
    this.listening = listening;
    this.wakeFd = sys.eventfd(0, c.EFD_NONBLOCK | c.EFD_CLOEXEC);
    this.extra = new Float64Array(new SharedArrayBuffer(Math.max(1, extraCount) * 8));
    this.cpu = cpu;
  }

  /** Starts the loop thread; resolves once the loop runs (rejects, with the thread ended, if it does not). */
  async start<O>(shared: SharedLoopData<O>, log: (format: string, ...args: unknown[]) => void): Promise<void> {
    const workerData: LoopWorkerData<O> = {
      ...shared,
      listenFd: this.listening.fd,
      wakeFd: this.wakeFd,
      serverCounters: this.counters.buffer,
      extraCounters: this.extra.buffer as SharedArrayBuffer,
      cpu: this.cpu,
    };
    const worker = spawnModuleWorker(siblingModule(import.meta.url, 'loop-thread'), { workerData });
    this.worker = worker;
    this.exited = once(worker, 'exit');
    this.facts = await waitReady(worker);
    worker.on('error', (err) => {
      this.error = err;
      log('loop thread failed: %O', err);
    });
  }

  /** Wakes a loop blocked waiting for events (the host set the stop flag first). */
  wake(): void {
    sys.eventfdWrite(this.wakeFd, 1);
  }

  /** Waits up to `timeoutMs` for the thread to end, then terminates it (a thread stuck in a syscall). */
  async join(timeoutMs: number, log: (format: string, ...args: unknown[]) => void): Promise<void> {
    if (this.worker === undefined) return;
    const timer = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
    if ((await Promise.race([this.exited!.then(() => true), timer])) !== true) {
      log('loop thread did not stop within %d ms; terminating it', timeoutMs);
      await Promise.race([this.worker.terminate(), new Promise((resolve) => setTimeout(resolve, 300).unref())]);
    }
  }

  /** Closes the listening socket and the eventfd (after the thread ended). */
  release(): void {
    sys.close(this.listening.fd);
    sys.close(this.wakeFd);
  }
}

/** Resolves with the loop's facts when it posts ready; rejects if it fails, exits or stays silent first. */
async function waitReady(worker: Worker): Promise<Record<string, number>> {
  return await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`loop thread not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const fail = (err: unknown) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      void worker.terminate();
      reject(err);
    };
    const onMessage = (message: LoopReadyMessage) => {
      if (message?.kind !== 'ready') return;
      clearTimeout(timer);
      worker.off('error', fail);
      worker.off('exit', onExit);
      resolve(message.facts);
    };
    const onExit = (code: number) => fail(new Error(`loop thread exited with code ${code} before it was ready`));
    worker.on('message', onMessage);
    worker.once('error', fail);
    worker.once('exit', onExit);
  });
}
