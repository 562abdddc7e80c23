/**
 * The host side of every socket server: open the listening socket, start the loop in a worker thread,
 * and return the `ServerHandle` (url, stats read from shared memory, stop = flag + wake-up + join).
 * Each server plugin's `start` is one call to this with its loop module.
 */

import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { ServerContext, ServerHandle, ServerStats } from '@iobench/core';
import { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
import type { CommonServerOptions } from '@iobench/serving';
import { timeoutCheckIntervalMs } from '@iobench/serving';
import * as sys from '@iobench/syscalls';
import { openListeningSocket } from './listen-socket.js';
import { Control, type LoopReadyMessage, type LoopWorkerData } from './loop-context.js';
import { ServerCounters } from './server-counters.js';

const { constants: c } = sys;

/** How long `stop` waits for the loop thread before terminating it (the contract allows 2 s in all). */
const JOIN_TIMEOUT_MS = 1500;
/** How long `start` waits for the loop thread to say it runs (tsx startup included). */
const READY_TIMEOUT_MS = 15_000;

/** The I/O model's part of a socket server. */
export interface SocketServerModel {
  /**
   * The module whose default export is the loop (a `LoopFunction`), run in a worker thread, e.g.
   * `siblingModule(import.meta.url, 'poll-loop')`.
   */
  loopModule: URL;
  /**
   * Blocking model: the listening socket stays blocking and `stop` wakes the loop with shutdown(2) on
   * the listening socket and the current connection instead of the eventfd. With a header or idle
   * timeout, the listening socket gets SO_RCVTIMEO and SO_SNDTIMEO of one timeout check interval, which
   * accepted sockets inherit: every blocking call returns at least that often, so the loop can check.
   */
  blocking?: boolean;
  /**
   * Names of the model's own counters (Float64 slots the loop increments through `ctx.extra`),
   * reported in `stats().extra`, e.g. io_uring completions by kind.
   */
  extraCounters?: readonly string[];
}

/** Starts a socket server whose loop runs in a worker thread; resolves once the loop runs. */
export async function startSocketServer<O extends CommonServerOptions>(
  ctx: ServerContext,
  options: O,
  model: SocketServerModel,
): Promise<ServerHandle> {
  const blocking = model.blocking === true;
  const checkMs = timeoutCheckIntervalMs(options);
  const listening = openListeningSocket({
    ...options,
    nonBlocking: !blocking,
    ioTimeoutMs: blocking && checkMs > 0 ? checkMs : undefined,
  });
  const wakeFd = sys.eventfd(0, c.EFD_NONBLOCK | c.EFD_CLOEXEC);
  const counters = new ServerCounters();
  const syscallCounters = new sys.SyscallCounters();
  const control = new Int32Array(new SharedArrayBuffer(8));
  control[Control.currentFd] = -1;
  const extraNames = model.extraCounters ?? [];
  const extra = new Float64Array(new SharedArrayBuffer(Math.max(1, extraNames.length) * 8));
  const workerData: LoopWorkerData<O> = {
    loopModule: model.loopModule.href,
    listenFd: listening.fd,
    wakeFd,
    control: control.buffer as SharedArrayBuffer,
    serverCounters: counters.buffer,
    syscallCounters: syscallCounters.buffer,
    options,
    blocking,
    extraCounters: extra.buffer as SharedArrayBuffer,
  };
  const releaseFds = () => {
    sys.close(listening.fd);
    sys.close(wakeFd);
  };
  let worker: Worker;
  let facts: Record<string, number>;
  try {
    worker = spawnModuleWorker(siblingModule(import.meta.url, 'loop-thread'), { workerData });
    facts = await waitReady(worker);
  } catch (err) {
    releaseFds();
    throw err;
  }
  let loopError: unknown;
  worker.on('error', (err) => {
    loopError = err;
    ctx.log('loop thread failed: %O', err);
  });
  const exited = once(worker, 'exit');
  ctx.log('listening on %s (fd %d), loop %s', listening.url, listening.fd, model.loopModule.pathname);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      Atomics.store(control, Control.stop, 1);
      sys.eventfdWrite(wakeFd, 1);
      if (blocking) {
        sys.shutdown(listening.fd, c.SHUT_RDWR);
        const current = Atomics.load(control, Control.currentFd);
        if (current >= 0) sys.shutdown(current, c.SHUT_RDWR);
      }
      const timer = new Promise((resolve) => setTimeout(resolve, JOIN_TIMEOUT_MS).unref());
      if ((await Promise.race([exited.then(() => true), timer])) !== true) {
        // A thread blocked in a syscall only ends when the call returns: do not wait on it forever.
        ctx.log('loop thread did not stop within %d ms; terminating it', JOIN_TIMEOUT_MS);
        await Promise.race([worker.terminate(), new Promise((resolve) => setTimeout(resolve, 300).unref())]);
      }
      releaseFds();
    })();
    return stopping;
  };

  const stats = (): ServerStats => {
    const snapshot = counters.snapshot();
    snapshot.syscalls = syscallCounters.snapshot();
    const named = extraNames.map((name, i) => [name, extra[i]!] as const);
    snapshot.extra = { ...facts, ...Object.fromEntries(named) };
    if (loopError !== undefined) snapshot.extra.loopFailed = 1;
    if (Object.keys(snapshot.extra).length === 0) delete snapshot.extra;
    return snapshot;
  };
  return { url: listening.url, stop, stats };
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
