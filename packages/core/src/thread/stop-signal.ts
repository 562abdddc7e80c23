/**
 * Stopping a thread that blocks in the kernel (epoll_wait, select, poll, io_uring_enter, a blocking
 * accept): it reads no messages while it waits, so a stop is a shared flag it checks every round plus
 * an eventfd in its wait set that wakes it. The parent holds a `StopController`; its `signal` is plain
 * data (an Int32Array over shared memory and an fd number) that crosses the worker boundary in
 * `workerData` and stays shared.
 *
 * One signal serves any number of threads because nobody reads (resets) the eventfd: once written it
 * stays readable, so every thread waiting on it wakes, now or at its next wait. A thread that reset it
 * could swallow another's wake-up, which then blocks until its next timeout.
 */

/** The stop request as a thread sees it: check `stopRequested`, wait on `wakeFd` (never read it). */
export interface StopSignal {
  /** `[0]` turns non-zero, once, when the parent asks to stop. */
  readonly flag: Int32Array;
  /** eventfd made readable by the stop request; include it in the thread's wait set. */
  readonly wakeFd: number;
}

/** True once the parent asked to stop (one atomic load: cheap enough for every round of a hot loop). */
export function stopRequested(signal: StopSignal): boolean {
  return Atomics.load(signal.flag, 0) !== 0;
}

/**
 * The eventfd(2) calls a controller makes. The syscall layer provides them; they are passed in so
 * that this SDK module loads no native code.
 */
export interface EventfdCalls {
  /** Returns the new fd (throws on failure). */
  eventfd(initval: number, flags: number): number;
  eventfdWrite(fd: number, value: number): number;
  close(fd: number): number;
  readonly constants: { readonly EFD_NONBLOCK: number; readonly EFD_CLOEXEC: number };
}

/** The parent's side of a stop: creates the signal, requests the stop (idempotent), closes the eventfd. */
export class StopController {
  readonly signal: StopSignal;
  private readonly sys: EventfdCalls;
  private closed = false;

  constructor(sys: EventfdCalls) {
    this.sys = sys;
    const wakeFd = sys.eventfd(0, sys.constants.EFD_NONBLOCK | sys.constants.EFD_CLOEXEC);
    this.signal = { flag: new Int32Array(new SharedArrayBuffer(4)), wakeFd };
  }

  get requested(): boolean {
    return stopRequested(this.signal);
  }

  /** Sets the flag, then wakes every waiting thread (a woken thread must find the flag set). */
  request(): void {
    if (Atomics.exchange(this.signal.flag, 0, 1) !== 0 || this.closed) return;
    this.sys.eventfdWrite(this.signal.wakeFd, 1);
  }

  /** Closes the eventfd, once the threads that wait on it ended (a later `request` only sets the flag). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sys.close(this.signal.wakeFd);
  }
}
