/**
 * The `epoll-thread` server: a `ThreadLoop` on the host's main thread, run from a libuv poll handle
 * on its epoll fd, creating one native thread per request (`ThreadLauncher`).
 *
 * Threading: the loop lives on Node's event loop (`watchReadable(epfd)`, then one non-blocking
 * `epoll_wait` round), like epoll-pool's, so the host's control channel stays responsive. Request
 * threads are plain OS threads made by the syscall addon, not worker_threads: a Worker is a whole V8
 * isolate (about 30 ms to start and end here), which would measure V8 start-up, not thread creation.
 * Each thread reports through a pipe the loop watches in its epoll set; see README.md for why a pipe.
 */
import type { ServerContext, ServerHandle, ServerStats } from '@iobench/core';
import { openListeningSocket, ServerCounters } from '@iobench/server-kit';
import { Responder } from '@iobench/serving';
import * as sys from '@iobench/syscalls';
import type { EpollThreadServerOptions } from './options.js';
import { ThreadConnectionServer } from './thread-connection-server.js';
import { ThreadLoop } from './thread-loop.js';

const { constants: c } = sys;

/** How long stop waits for running threads once their work is cancelled (the contract allows 2 s). */
const THREADS_END_TIMEOUT_MS = 1500;

/** Starts the server; resolves once the loop watches its epoll fd. */
export async function startEpollThreadServer(
  ctx: ServerContext,
  options: EpollThreadServerOptions,
): Promise<ServerHandle> {
  // The loop's syscalls, and the threads' (counted when their records are read), go to these.
  const syscallCounters = new sys.SyscallCounters();
  sys.useCounters(syscallCounters);
  const counters = new ServerCounters();
  const listening = openListeningSocket({ ...options, nonBlocking: true });
  // The write end stays blocking: a thread facing a full pipe waits rather than losing its record.
  const [doneRead, doneWrite] = sys.pipe2(c.O_CLOEXEC);
  sys.setNonBlocking(doneRead, true);
  const cancelFd = sys.eventfd(0, c.EFD_CLOEXEC);
  const server = new ThreadConnectionServer({
    responder: new Responder({ bodySize: options.bodySize, keepAlive: options.keepAlive }),
    work: options.work,
    counters,
    headerTimeoutMs: options.headerTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxThreads: options.maxThreads,
    doneFd: doneWrite,
    cancelFd,
  });
  let loop: ThreadLoop;
  try {
    loop = new ThreadLoop({ server, listenFd: listening.fd, doneFd: doneRead, maxEvents: options.maxEvents });
  } catch (err) {
    server.dispose();
    for (const fd of [listening.fd, doneRead, doneWrite, cancelFd]) sys.close(fd);
    throw err;
  }
  let loopErrors = 0;
  const watch = sys.watchReadable(loop.epfd, () => {
    try {
      loop.runOnce();
    } catch (err) {
      loopErrors++;
      ctx.log('epoll round failed: %O', err);
    }
  });
  // Nothing blocks in epoll_wait here, so the timeout sweep comes from a timer. It runs on the thread
  // that alone hands connections to request threads and takes them back, so it cannot race a hand-over.
  const timeoutTimer =
    server.timeoutCheckMs > 0
      ? setInterval(() => {
          try {
            loop.expireAll();
          } catch (err) {
            loopErrors++;
            ctx.log('timeout sweep failed: %O', err);
          }
        }, server.timeoutCheckMs).unref()
      : undefined;
  ctx.log(
    'listening on %s (fd %d), epoll fd %d, up to %d request threads',
    listening.url,
    listening.fd,
    loop.epfd,
    options.maxThreads,
  );

  const threads = server.threads.figures;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(timeoutTimer);
      watch.stop();
      server.stop();
      sys.close(listening.fd);
      // Cancelled threads end within microseconds; their records must be read before any fd they
      // use is closed.
      const deadline = Date.now() + THREADS_END_TIMEOUT_MS;
      while (threads.live > 0 && Date.now() < deadline) {
        if (loop.reap() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const kept = loop.close();
      server.dispose();
      if (threads.live > 0) {
        // Left open for the threads still running (the host process exits after stop anyway).
        ctx.log(
          '%d request threads still running after %d ms; left %d connections and the done pipe open',
          threads.live,
          THREADS_END_TIMEOUT_MS,
          kept,
        );
        return;
      }
      sys.close(doneRead);
      sys.close(doneWrite);
      sys.close(cancelFd);
    })();
    return stopping;
  };

  const stats = (): ServerStats => {
    const snapshot = counters.snapshot();
    snapshot.syscalls = syscallCounters.snapshot();
    if (threads.spawnFailures > 0) snapshot.errors.threadSpawn = threads.spawnFailures;
    snapshot.extra = {
      maxThreads: options.maxThreads,
      threadsCreated: threads.created,
      threadsLive: threads.live,
      threadsPeak: threads.peakLive,
      requestsWaitedForThread: threads.waited,
      threadQueuePeak: threads.peakWaiting,
    };
    if (loopErrors > 0) snapshot.extra.loopErrors = loopErrors;
    return snapshot;
  };
  return { url: listening.url, stop, stats };
}
