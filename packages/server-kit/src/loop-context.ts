/**
 * The worker side of the loop harness: what a loop module receives from `startSocketServer` (the
 * listening fd, the wake-up eventfd, the shared stop flag and counters) and the `ConnectionServer`
 * it serves connections with.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { type CommonServerOptions, Responder } from '@iobench/serving';
import { SyscallCounters, useCounters } from '@iobench/syscalls';
import { ConnectionServer } from './connection-server.js';
import { ServerCounters } from './server-counters.js';

/** Int32 slots of the control buffer shared by host and loop. */
export const Control = {
  /** Set to 1 by the host to ask the loop to stop. */
  stop: 0,
  /** The connection a blocking loop is serving (-1 if none), so stop can shut it down. */
  currentFd: 1,
} as const;

/** What the host passes to a loop worker as `workerData`. */
export interface LoopWorkerData<O> {
  /** URL of the module whose default export is the loop (a `LoopFunction`). */
  loopModule: string;
  listenFd: number;
  /** eventfd the host writes to wake a loop that waits for readiness; loops include it in their set. */
  wakeFd: number;
  control: SharedArrayBuffer;
  serverCounters: SharedArrayBuffer;
  syscallCounters: SharedArrayBuffer;
  options: O;
  /** The loop blocks in its calls (the blocking model), bounded by the listening socket's I/O timeouts. */
  blocking: boolean;
}

/**
 * A loop module's default export: runs the I/O model until `ctx.stopRequested()`, calling
 * `ctx.ready()` once it is set up, and closes every connection it opened before returning.
 */
export type LoopFunction<O> = (ctx: LoopContext<O>) => void;

/** What a loop module works with. */
export interface LoopContext<O> {
  listenFd: number;
  wakeFd: number;
  options: O;
  counters: ServerCounters;
  server: ConnectionServer;
  /** True once the host asked the loop to stop. */
  stopRequested(): boolean;
  /** Blocking loops publish the connection they are blocked on (-1 when none). */
  setCurrentFd(fd: number): void;
  /** Tells the host the loop is about to run. */
  ready(): void;
  /** Releases what the context holds (call when the loop returns). */
  dispose(): void;
}

/** Builds the loop context from `workerData`; binds the syscall counters for this thread. */
export function loopContext<O extends CommonServerOptions>(): LoopContext<O> {
  const data = workerData as LoopWorkerData<O>;
  if (parentPort === null || data === undefined) throw new Error('loopContext() must run in a loop worker thread');
  useCounters(new SyscallCounters(data.syscallCounters));
  const counters = new ServerCounters(data.serverCounters);
  const control = new Int32Array(data.control);
  const { options } = data;
  const server = new ConnectionServer({
    responder: new Responder({ bodySize: options.bodySize, keepAlive: options.keepAlive }),
    work: options.work,
    counters,
    headerTimeoutMs: options.headerTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    blocking: data.blocking,
  });
  return {
    listenFd: data.listenFd,
    wakeFd: data.wakeFd,
    options,
    counters,
    server,
    stopRequested: () => Atomics.load(control, Control.stop) !== 0,
    setCurrentFd: (fd) => Atomics.store(control, Control.currentFd, fd),
    ready: () => parentPort!.postMessage('ready'),
    dispose: () => server.dispose(),
  };
}
