/**
 * Hands each epoll round's framed requests to the piscina pool and answers them when the pool is done.
 *
 * This is where the pool model wins or loses. A task crosses threads twice (the loop posts it and a
 * pool thread wakes; the thread posts the result and the loop wakes), tens of microseconds of
 * messaging and context switches that a trivial handler (`work: none`) never earns back: that is why
 * epoll-pool loses to the single-loop epoll server with no handler work, as the original experiment's epoll +
 * ThreadPoolExecutor server lost to a blocking one. Batching (`planBatches`) pays that hand-off per
 * task instead of per request. With heavy or blocking handlers the pool wins: up to `threads` handlers
 * run at once (a 1 ms blocking call costs the loop nothing), while the loop thread keeps accepting,
 * reading and answering; the single-loop server runs one handler at a time and stops all I/O meanwhile.
 */
import type { Want } from '@iobench/server-kit';
import type { Piscina } from 'piscina';
import { planBatches } from './pool-batches.js';
import type { PoolConnection } from './pool-connection.js';
import type { PoolConnectionServer } from './pool-connection-server.js';

/** Pool figures for `stats().extra`. */
export interface PoolFigures {
  /** Tasks sent to the pool. */
  tasks: number;
  /** Requests those tasks carried. */
  requests: number;
  /** Tasks sent and not completed yet. */
  tasksInFlight: number;
  /** Tasks that failed (a pool thread died); their connections were closed. */
  failedTasks: number;
}

/** How the dispatcher cuts work into tasks. */
export interface DispatchTuning {
  /** Most tasks one round becomes: the pool's thread count. */
  maxTasksPerRound: number;
  /** Handler work per request, in microseconds (0 for `work: none`). */
  workUsPerRequest: number;
  /** Split a round over more tasks only while each keeps this much handler work (0: always spread). */
  minTaskWorkUs: number;
}

/** Where an answered connection's next interest goes (the epoll loop's `apply`). */
export type ApplyWant = (conn: PoolConnection, fd: number, want: Want) => void;

export class PoolDispatcher {
  readonly figures: PoolFigures = { tasks: 0, requests: 0, tasksInFlight: 0, failedTasks: 0 };
  private readonly pool: Piscina<number, number>;
  private readonly server: PoolConnectionServer;
  private readonly apply: ApplyWant;
  private readonly maxTasks: number;
  private readonly workUs: number;
  private readonly minTaskWorkUs: number;
  private readonly sizes: number[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(pool: Piscina<number, number>, server: PoolConnectionServer, apply: ApplyWant, tuning: DispatchTuning) {
    this.pool = pool;
    this.server = server;
    this.apply = apply;
    this.maxTasks = tuning.maxTasksPerRound;
    this.workUs = tuning.workUsPerRequest;
    this.minTaskWorkUs = tuning.minTaskWorkUs;
  }

  /**
   * Sends the ready connections' requests to the pool; call after each epoll round (and it runs after
   * completions that left requests framed). A round's requests are spread over up to one task per
   * pool thread, but only while each task still carries `minTaskWorkUs` of handler work: with no
   * handler work a round is one task, so the hand-off is paid once per round, not once per request;
   * with blocking handlers every thread gets a share. Tasks beyond the free threads wait in piscina's
   * queue (each thread also holds a next task, see TASKS_PER_THREAD in epoll-pool-server.ts).
   */
  dispatch(): void {
    const ready = this.server.ready;
    if (ready.length === 0 || this.stopped) return;
    const conns = ready.splice(0, ready.length);
    const sizes = this.sizes;
    sizes.length = 0;
    let total = 0;
    for (const conn of conns) {
      conn.queued = false;
      const taken = conn.fd >= 0 ? this.server.take(conn) : 0;
      sizes.push(taken);
      total += taken;
    }
    const workUs = total * this.workUs;
    const worthSplitting = this.minTaskWorkUs === 0 ? this.maxTasks : Math.floor(workUs / this.minTaskWorkUs);
    let start = 0;
    for (const end of planBatches(sizes, Math.max(1, Math.min(this.maxTasks, worthSplitting)))) {
      let requests = 0;
      for (let i = start; i < end; i++) requests += sizes[i]!;
      const batch = conns.slice(start, end);
      start = end;
      if (requests === 0) continue;
      this.figures.tasks++;
      this.figures.requests += requests;
      this.figures.tasksInFlight++;
      this.pool.run(requests).then(
        () => this.completed(batch),
        () => this.failed(batch),
      );
    }
  }

  /** Stops answering: completions that arrive later are dropped (their connections are being closed). */
  stop(): void {
    this.stopped = true;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
  }

  private completed(batch: PoolConnection[]): void {
    this.figures.tasksInFlight--;
    if (this.stopped) return;
    // The answers stamp their connections' activity: with this task's end, not the last epoll round.
    this.server.tick();
    for (const conn of batch) {
      const fd = conn.fd;
      if (fd < 0 || !conn.busy) continue;
      this.apply(conn, fd, this.server.answer(conn));
    }
    // Pipelined requests framed behind this batch: dispatch them once this turn's completions are
    // all in (setImmediate runs after the poll phase), so they share tasks.
    if (this.server.ready.length > 0 && this.immediate === undefined) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.dispatch();
      });
    }
  }

  private failed(batch: PoolConnection[]): void {
    this.figures.tasksInFlight--;
    if (this.stopped) return;
    this.figures.failedTasks++;
    for (const conn of batch) {
      const fd = conn.fd;
      if (fd >= 0) this.apply(conn, fd, this.server.close(conn));
    }
  }
}
