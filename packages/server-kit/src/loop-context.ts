/**
 * The worker side of the loop harness: what a loop module receives from `startSocketServer` (the
 * listening fd, the stop signal, the shared counters) and the `ConnectionServer` it serves
 * connections with. Ready and stop go through `@iobench/core/thread`, like every other thread's.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { type StopSignal, stopRequested, threadMessage } from '@iobench/core/thread';
import { type CommonServerOptions, Responder } from '@iobench/serving';
import { SyscallCounters, schedSetaffinity, useCounters } from '@iobench/syscalls';
import { ConnectionServer, type ConnectionServerOptions } from './connection-server.js';
import { ServerCounters } from './server-counters.js';

/** What the host passes to a loop worker as `workerData`. */
export interface LoopWorkerData<O> {
  /** URL of the module whose default export is the loop (a `LoopFunction`). */
  loopModule: string;
  listenFd: number;
  /** The server's stop request, one for all its loops. */
  stop: StopSignal;
  /** `[0]`: the connection a blocking loop is serving (-1 if none), so stop can shut it down. */
  currentFd: Int32Array;
  serverCounters: SharedArrayBuffer;
  syscallCounters: SharedArrayBuffer;
  options: O;
  /** The loop blocks in its calls (the blocking model), bounded by the listening socket's I/O timeouts. */
  blocking: boolean;
  /** Float64 slots of the model's own counters (`SocketServerModel.extraCounters`, in that order). */
  extraCounters: SharedArrayBuffer;
  /** The CPU the loop thread pins itself to (one of its pinned process's list), or -1 to stay as it is. */
  cpu: number;
}

/**
 * A loop module's default export: runs the I/O model until `ctx.stopRequested()`, calling
 * `ctx.ready()` once it is set up, and closes every connection it opened before returning.
 */
export type LoopFunction<O> = (ctx: LoopContext<O>) => void;

/** What a loop module works with. */
export interface LoopContext<O> {
  listenFd: number;
  /**
   * The stop eventfd: loops that wait for readiness include it in their set. Never read it: it stays
   * readable once stop is requested, so that every loop of the server wakes.
   */
  wakeFd: number;
  options: O;
  counters: ServerCounters;
  /**
   * The model's own counters, indexed like `SocketServerModel.extraCounters`; the loop increments them
   * in place (one writer) and `stats().extra` reports them by name.
   */
  extra: Float64Array;
  /** The serve steps, built on first use from `serverOptions`. */
  server: ConnectionServer;
  /**
   * What `server` is built from, for a model that serves through its own `ConnectionServer` subclass
   * (e.g. sends as io_uring SQEs) instead; such a model disposes of its server itself.
   */
  serverOptions: ConnectionServerOptions;
  /** True once the host asked the loop to stop. */
  stopRequested(): boolean;
  /** Blocking loops publish the connection they are blocked on (-1 when none). */
  setCurrentFd(fd: number): void;
  /** Tells the host the loop is about to run, with facts found at setup for `stats().extra`. */
  ready(facts?: Record<string, number>): void;
  /** Releases what the context holds (call when the loop returns). */
  dispose(): void;
}

/** Builds the loop context from `workerData`; binds the syscall counters for this thread. */
export function loopContext<O extends CommonServerOptions>(): LoopContext<O> {
  const data = workerData as LoopWorkerData<O>;
  if (parentPort === null || data === undefined) throw new Error('loopContext() must run in a loop worker thread');
  useCounters(new SyscallCounters(data.syscallCounters));
  // Only this thread: the host and the other loops keep the process's CPU list.
  if (data.cpu >= 0) schedSetaffinity([data.cpu]);
  const counters = new ServerCounters(data.serverCounters);
  const { options, stop, currentFd } = data;
  const serverOptions: ConnectionServerOptions = {
    responder: new Responder({ bodySize: options.bodySize, keepAlive: options.keepAlive }),
    work: options.work,
    counters,
    headerTimeoutMs: options.headerTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    blocking: data.blocking,
  };
  // Built lazily: a ConnectionServer holds a spare fd, which a model with its own subclass would waste.
  let server: ConnectionServer | undefined;
  return {
    listenFd: data.listenFd,
    wakeFd: stop.wakeFd,
    options,
    counters,
    extra: new Float64Array(data.extraCounters),
    get server() {
      server ??= new ConnectionServer(serverOptions);
      return server;
    },
    serverOptions,
    stopRequested: () => stopRequested(stop),
    setCurrentFd: (fd) => Atomics.store(currentFd, 0, fd),
    ready: (facts = {}) => parentPort!.postMessage(threadMessage.ready(facts)),
    dispose: () => server?.dispose(),
  };
}
