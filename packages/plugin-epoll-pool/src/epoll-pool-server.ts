/**
 * The `epoll-pool` server: the epoll server's `EpollLoop`, run on the host's main thread from a libuv
 * poll handle on its epoll fd, with the handler work moved to a piscina pool of `threads` threads.
 *
 * Threading: the loop cannot block in epoll_wait, because the same thread must take the pool's
 * completions (piscina posts them to this thread's event loop) and answer the host's control channel.
 * So `watchReadable(epfd)` wakes it when epoll has events and each round is `epoll_wait(..., 0)`: one
 * bounded round (at most `maxEvents` events), then back to Node's event loop. Connections are
 * registered edge-triggered (once, no epoll_ctl per request), so a connection whose batch is in the
 * pool is simply not read until it is answered.
 */
import type { ServerContext, ServerHandle, ServerStats } from '@iobench/core';
import { StopController } from '@iobench/core/thread';
import { EpollLoop } from '@iobench/plugin-epoll/loop';
import { openListeningSocket, ServerCounters, siblingModule } from '@iobench/server-kit';
import { Responder } from '@iobench/serving';
import * as sys from '@iobench/syscalls';
import { Piscina } from 'piscina';
import type { EpollPoolServerOptions } from './options.js';
import { PoolConnectionServer } from './pool-connection-server.js';
import { PoolDispatcher } from './pool-dispatcher.js';
import type { PoolWorkerData } from './pool-worker.js';

/** How long start waits for every pool thread to run (tsx compiles the worker in each thread). */
const POOL_READY_TIMEOUT_MS = 15_000;
/** How long stop waits for the pool threads to exit (a thread may sit in a blocking handler). */
const POOL_DESTROY_TIMEOUT_MS = 1500;
/** Tasks out per pool thread: the one it runs and the next one. */
const TASKS_PER_THREAD = 2;

/** Starts the server; resolves once every pool thread runs and the loop watches its epoll fd. */
export async function startEpollPoolServer(ctx: ServerContext, options: EpollPoolServerOptions): Promise<ServerHandle> {
  const { threads } = options;
  // The loop's syscalls happen on this thread; pool threads make none through the syscall layer.
  const syscallCounters = new sys.SyscallCounters();
  sys.useCounters(syscallCounters);
  const counters = new ServerCounters();
  const listening = openListeningSocket({ ...options, nonBlocking: true });
  // EpollLoop watches the stop eventfd for loops that block; nothing blocks here, so the flag does it.
  const stopControl = new StopController(sys);
  const workerData: PoolWorkerData = { work: options.work };
  const pool = new Piscina({
    filename: siblingModule(import.meta.url, 'pool-worker').href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    recordTiming: false,
    // A second task waits in each thread's port, so a thread goes from one batch to the next without
    // waiting for this thread to see the first completion and post again.
    concurrentTasksPerWorker: TASKS_PER_THREAD,
    workerData,
  });
  pool.on('error', (err) => ctx.log('pool thread failed: %O', err));
  try {
    await warmUp(pool, threads);
  } catch (err) {
    await pool.destroy().catch(() => {});
    sys.close(listening.fd);
    stopControl.close();
    throw err;
  }

  // The base class's handler work stays 'none': the pool does the work (see PoolConnectionServer).
  const server = new PoolConnectionServer({
    responder: new Responder({ bodySize: options.bodySize, keepAlive: options.keepAlive }),
    work: { kind: 'none' },
    counters,
    headerTimeoutMs: options.headerTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
  });
  const loop = new EpollLoop(
    {
      server,
      listenFd: listening.fd,
      wakeFd: stopControl.signal.wakeFd,
      stopRequested: () => stopControl.requested,
    },
    { edgeTriggered: true, maxEvents: options.maxEvents },
  );
  const dispatcher = new PoolDispatcher(pool, server, (conn, fd, want) => loop.apply(conn, fd, want), {
    maxTasksPerRound: threads,
    workUsPerRequest: options.work.kind === 'none' ? 0 : options.work.us,
    minTaskWorkUs: options.minTaskWorkUs,
  });
  let loopErrors = 0;
  const watch = sys.watchReadable(loop.epfd, () => {
    try {
      loop.runOnce(0);
    } catch (err) {
      loopErrors++;
      ctx.log('epoll round failed: %O', err);
    }
    dispatcher.dispatch();
  });
  // Nothing blocks in epoll_wait here, so the timeout checks come from a timer on the same thread.
  const timeoutTimer =
    server.timeoutCheckMs > 0
      ? setInterval(() => {
          try {
            loop.checkTimeouts();
          } catch (err) {
            loopErrors++;
            ctx.log('timeout check failed: %O', err);
          }
        }, server.timeoutCheckMs).unref()
      : undefined;
  ctx.log('listening on %s (fd %d), epoll fd %d, %d pool threads', listening.url, listening.fd, loop.epfd, threads);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopControl.request();
      clearInterval(timeoutTimer);
      watch.stop();
      dispatcher.stop();
      loop.close();
      server.dispose();
      sys.close(listening.fd);
      stopControl.close();
      const timer = new Promise((resolve) => setTimeout(resolve, POOL_DESTROY_TIMEOUT_MS).unref());
      await Promise.race([pool.destroy().catch((err) => ctx.log('pool destroy failed: %O', err)), timer]);
    })();
    return stopping;
  };

  const stats = (): ServerStats => {
    const snapshot = counters.snapshot();
    snapshot.syscalls = syscallCounters.snapshot();
    const f = dispatcher.figures;
    snapshot.extra = {
      poolThreads: threads,
      poolTasks: f.tasks,
      poolRequests: f.requests,
      poolMeanBatch: f.tasks === 0 ? 0 : f.requests / f.tasks,
      poolQueue: pool.queueSize,
      poolTasksInFlight: f.tasksInFlight,
      poolFailedTasks: f.failedTasks,
    };
    if (loopErrors > 0) snapshot.extra.loopErrors = loopErrors;
    return snapshot;
  };
  return { url: listening.url, stop, stats };
}

/**
 * Runs one barrier task per thread: each blocks its thread until all arrived, so every thread has
 * started and loaded the handler before the first request (no start-up cost inside a measurement).
 */
async function warmUp(pool: Piscina, threads: number): Promise<void> {
  const arrived = new SharedArrayBuffer(4);
  const task = { arrived, threads, timeoutMs: POOL_READY_TIMEOUT_MS };
  const seen = (await Promise.all(
    Array.from({ length: threads }, () => pool.run(task, { name: 'warmUp' })),
  )) as number[];
  if (Math.min(...seen) < threads) {
    throw new Error(
      `epoll-pool: only ${Math.min(...seen)} of ${threads} pool threads started within ${POOL_READY_TIMEOUT_MS} ms`,
    );
  }
}
