/**
 * One loop of a socket server, seen from the host: its listening socket, its counters (one writer
 * each: the loop) and the worker thread that runs it. `startSocketServer` runs one of these per loop
 * (`loops`, SO_REUSEPORT), stops them all through one stop signal and sums what they count.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { waitForReady } from '@iobench/core/thread';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import * as sys from '@iobench/syscalls';
import type { ListeningSocket } from './listen-socket.js';
import type { LoopWorkerData } from './loop-context.js';
import { ServerCounters } from './server-counters.js';

/** How long `start` waits for the loop thread to say it runs (tsx startup included). */
const READY_TIMEOUT_MS = 15_000;

/** What every loop of one server shares. */
export type SharedLoopData<O> = Omit<LoopWorkerData<O>, 'listenFd' | 'serverCounters' | 'extraCounters' | 'cpu'>;

export class LoopWorker {
  readonly listening: ListeningSocket;
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
    this.extra = new Float64Array(new SharedArrayBuffer(Math.max(1, extraCount) * 8));
    this.cpu = cpu;
  }

  /** Starts the loop thread; resolves once the loop runs (rejects, with the thread ended, if it does not). */
  async start<O>(shared: SharedLoopData<O>, log: (format: string, ...args: unknown[]) => void): Promise<void> {
    const workerData: LoopWorkerData<O> = {
      ...shared,
      listenFd: this.listening.fd,
      serverCounters: this.counters.buffer,
      extraCounters: this.extra.buffer as SharedArrayBuffer,
      cpu: this.cpu,
    };
    const worker = spawnModuleWorker(siblingModule(import.meta.url, 'loop-thread'), { workerData });
    this.worker = worker;
    this.exited = once(worker, 'exit');
    try {
      this.facts = await waitForReady(worker, { label: 'loop thread', timeoutMs: READY_TIMEOUT_MS });
    } catch (err) {
      void worker.terminate();
      throw err;
    }
    worker.on('error', (err) => {
      this.error = err;
      log('loop thread failed: %O', err);
    });
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

  /** Closes the listening socket (after the thread ended). */
  release(): void {
    sys.close(this.listening.fd);
  }
}
