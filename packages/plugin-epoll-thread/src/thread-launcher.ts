/**
 * Creates the request threads and bounds how many live at once. This is the model's cost centre:
 * every request pays a pthread_create (clone3, a new kernel task, its stack from glibc's cache), the
 * new thread's first scheduling, its exit, and the loop's wake-up by the done pipe — the
 * ret_from_fork that dominated the original experiment's flame graph. Nothing is reused between requests, which is
 * exactly what a pool avoids.
 *
 * `maxThreads` bounds the live threads so that a flood of ready requests cannot exhaust the machine's
 * threads or memory: past the bound a connection's request waits in a FIFO queue (costing one array
 * slot) and gets its thread when one ends.
 */
import type { HandlerWork } from '@iobench/serving';
import * as sys from '@iobench/syscalls';
import type { ThreadConnection } from './thread-connection.js';

/** Thread figures for `stats().extra`. */
export interface ThreadFigures {
  /** Threads created (one per answered request). */
  created: number;
  /** Threads alive now (created, record not read yet). */
  live: number;
  /** Most threads alive at once. */
  peakLive: number;
  /** Requests that waited for a thread because `maxThreads` were alive. */
  waited: number;
  /** Longest the waiting queue got. */
  peakWaiting: number;
  /** Threads pthread_create could not start (their connections were closed). */
  spawnFailures: number;
}

/** What a `ThreadLauncher` starts threads with. */
export interface ThreadLauncherOptions {
  maxThreads: number;
  work: HandlerWork;
  /** Write end of the done pipe, where each thread leaves its record. */
  doneFd: number;
  /** eventfd that, once written, cuts every thread's work short (stop). */
  cancelFd: number;
  /** A queued connection whose thread could not be created: close it (`negErrno` from pthread_create). */
  onSpawnFailed(conn: ThreadConnection, negErrno: number): void;
}

export class ThreadLauncher {
  readonly figures: ThreadFigures = { created: 0, live: 0, peakLive: 0, waited: 0, peakWaiting: 0, spawnFailures: 0 };
  private readonly options: ThreadLauncherOptions;
  private readonly workKind: number;
  private readonly workUs: number;
  /** Connections waiting for a thread, from `#head` on (a queue without shifting the array). */
  private waiting: ThreadConnection[] = [];
  private head = 0;
  private cancelled = false;

  constructor(options: ThreadLauncherOptions) {
    this.options = options;
    const { work } = options;
    this.workKind = sys.RequestThreadWork[work.kind];
    this.workUs = work.kind === 'none' ? 0 : work.us;
  }

  /** Starts a thread for `conn.answer` now, or queues it if `maxThreads` are alive; 0 or -errno. */
  submit(conn: ThreadConnection): number {
    if (this.cancelled) return -sys.constants.ECANCELED;
    if (this.figures.live >= this.options.maxThreads) {
      this.waiting.push(conn);
      this.figures.waited++;
      this.figures.peakWaiting = Math.max(this.figures.peakWaiting, this.waiting.length - this.head);
      return 0;
    }
    return this.spawn(conn);
  }

  /** A thread's record was read: one fewer alive, so start queued connections up to the bound. */
  ended(): void {
    this.figures.live--;
    while (!this.cancelled && this.figures.live < this.options.maxThreads && this.head < this.waiting.length) {
      const conn = this.waiting[this.head++]!;
      if (this.head === this.waiting.length) {
        this.waiting = [];
        this.head = 0;
      }
      const rc = conn.fd >= 0 ? this.spawn(conn) : 0;
      if (rc < 0) this.options.onSpawnFailed(conn, rc);
    }
  }

  /** Stop: no more threads, queued connections dropped, running threads' work cut short. */
  cancel(): void {
    this.cancelled = true;
    this.waiting = [];
    this.head = 0;
    sys.eventfdWrite(this.options.cancelFd, 1);
  }

  private spawn(conn: ThreadConnection): number {
    const { doneFd, cancelFd } = this.options;
    const rc = sys.spawnRequestThread(conn.fd, conn.answer!, this.workKind, this.workUs, doneFd, cancelFd);
    if (rc < 0) {
      this.figures.spawnFailures++;
      return rc;
    }
    conn.running = true;
    const f = this.figures;
    f.created++;
    f.live++;
    if (f.live > f.peakLive) f.peakLive = f.live;
    return 0;
  }
}
