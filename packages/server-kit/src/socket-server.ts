/**
 * The host side of every socket server: open the listening socket(s), start the loop(s) in worker
 * threads, and return the `ServerHandle` (url, stats read from shared memory, stop = one stop signal
 * for every loop + join). Each server plugin's `start` is one call to this with its loop module.
 *
 * Several loops (`loops`): each has its own SO_REUSEPORT listening socket on the one port, so the
 * kernel spreads connections over them and no loop touches another's (nginx's worker processes, as
 * threads). The first socket binds the port asked for (0: the kernel picks), the others bind the one
 * it got. Stats are summed; `extra` adds each loop's accepted connections and requests.
 */

import os from 'node:os';
import type { ServerContext, ServerHandle, ServerStats } from '@iobench/core';
import { StopController } from '@iobench/core/thread';
import type { CommonServerOptions } from '@iobench/serving';
import { timeoutCheckIntervalMs } from '@iobench/serving';
import * as sys from '@iobench/syscalls';
import { type ListeningSocket, openListeningSocket } from './listen-socket.js';
import { loopCpus } from './loop-cpus.js';
import { LoopWorker, type SharedLoopData } from './loop-worker.js';

const { constants: c } = sys;

/** How long `stop` waits for the loop threads before terminating them (the contract allows 2 s in all). */
const JOIN_TIMEOUT_MS = 1500;

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
  /** Loops, each in its own thread with its own SO_REUSEPORT listening socket (default 1; not with `blocking`). */
  loops?: number;
}

/** Starts a socket server whose loops run in worker threads; resolves once every loop runs. */
export async function startSocketServer<O extends CommonServerOptions>(
  ctx: ServerContext,
  options: O,
  model: SocketServerModel,
): Promise<ServerHandle> {
  const loops = model.loops ?? 1;
  const blocking = model.blocking === true;
  if (!Number.isInteger(loops) || loops < 1 || (blocking && loops > 1)) {
    throw new RangeError(`loops must be a positive integer, and 1 for a blocking model (got ${loops})`);
  }
  const extraNames = model.extraCounters ?? [];
  const cpus = loops > 1 ? loopCpus(loops, sys.schedGetaffinity(), os.cpus().length) : [];
  const workers = openListeningGroup(options, loops, blocking).map(
    (listening, i) => new LoopWorker(listening, extraNames.length, cpus[i] ?? -1),
  );
  let stopControl: StopController;
  try {
    stopControl = new StopController(sys);
  } catch (err) {
    for (const w of workers) w.release();
    throw err;
  }
  const currentFd = new Int32Array(new SharedArrayBuffer(4)).fill(-1);
  const syscallCounters = new sys.SyscallCounters();
  const shared: SharedLoopData<O> = {
    loopModule: model.loopModule.href,
    stop: stopControl.signal,
    currentFd,
    syscallCounters: syscallCounters.buffer,
    options,
    blocking,
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopControl.request();
      if (blocking) {
        sys.shutdown(workers[0]!.listening.fd, c.SHUT_RDWR);
        const current = Atomics.load(currentFd, 0);
        if (current >= 0) sys.shutdown(current, c.SHUT_RDWR);
      }
      await Promise.all(workers.map((w) => w.join(JOIN_TIMEOUT_MS, ctx.log)));
      for (const w of workers) w.release();
      stopControl.close();
    })();
    return stopping;
  };
  const started = await Promise.allSettled(workers.map((w) => w.start(shared, ctx.log)));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  const { url } = workers[0]!.listening;
  ctx.log('listening on %s with %d loop(s), loop %s, cpus %o', url, loops, model.loopModule.pathname, cpus);
  return { url, stop, stats: () => sumStats(workers, extraNames, syscallCounters) };
}

/** The listening sockets of `loops` loops: one port, SO_REUSEPORT when there are several. */
function openListeningGroup(options: CommonServerOptions, loops: number, blocking: boolean): ListeningSocket[] {
  const checkMs = timeoutCheckIntervalMs(options);
  const socketOptions = {
    ...options,
    nonBlocking: !blocking,
    ioTimeoutMs: blocking && checkMs > 0 ? checkMs : undefined,
    reusePort: loops > 1,
  };
  const group = [openListeningSocket(socketOptions)];
  try {
    while (group.length < loops) group.push(openListeningSocket({ ...socketOptions, port: group[0]!.port }));
  } catch (err) {
    for (const l of group) sys.close(l.fd);
    throw err;
  }
  return group;
}

/** Every loop's counters summed; syscalls from the shared (atomic) counters; per-loop figures in `extra`. */
function sumStats(workers: LoopWorker[], extraNames: readonly string[], syscalls: sys.SyscallCounters): ServerStats {
  const total: ServerStats = { accepted: 0, refused: 0, requests: 0, errors: {} };
  const extra: Record<string, number> = { ...workers[0]!.facts };
  for (const name of extraNames) extra[name] = 0;
  workers.forEach((w, loop) => {
    const s = w.counters.snapshot();
    total.accepted += s.accepted;
    total.refused += s.refused;
    total.requests += s.requests;
    for (const [k, v] of Object.entries(s.errors)) total.errors[k] = (total.errors[k] ?? 0) + v;
    for (let i = 0; i < extraNames.length; i++) extra[extraNames[i]!]! += w.extra[i]!;
    if (workers.length > 1) {
      extra[`loop${loop}.accepted`] = s.accepted;
      extra[`loop${loop}.requests`] = s.requests;
      if (w.cpu >= 0) extra[`loop${loop}.cpu`] = w.cpu;
    }
    if (w.error !== undefined) extra.loopFailed = (extra.loopFailed ?? 0) + 1;
  });
  if (workers.length > 1) extra.loops = workers.length;
  total.syscalls = syscalls.snapshot();
  if (Object.keys(extra).length > 0) total.extra = extra;
  return total;
}
