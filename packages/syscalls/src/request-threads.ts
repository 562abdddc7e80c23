/**
 * One OS thread per request (the epoll-thread server's model), from request-threads.cc: the thread
 * does the handler work and the send(2), writes a 16-byte record to a done pipe and ends. The loop
 * watches the pipe's read end and reaps records with `readThreadRecords`, which also counts each
 * thread's own syscalls (send, ppoll, its record write) into the calling thread's counters.
 */
import { native } from './native.js';

/** The `workKind` codes of `spawnRequestThread`. */
export const RequestThreadWork = {
  none: 0,
  /** Spin on the clock for `workUs` (a compute-bound handler). */
  cpu: 1,
  /** ppoll(2) on the cancel eventfd for `workUs` (a blocking backend call that stop can cut short). */
  wait: 2,
} as const;

/**
 * Starts a detached thread (pthread_create: clone3, counted as `clone`) that does `workKind` for
 * `workUs`, sends a copy of `answer` on the non-blocking socket `fd` until done or EAGAIN, writes its
 * record (`fd`, bytes sent or -errno; `-ECANCELED` once `cancelFd` is readable) to `doneFd` and ends.
 * Returns 0, or -errno from pthread_create (`-EAGAIN`: out of threads). Keep `fd` and `doneFd` open
 * until the record is read.
 */
export const spawnRequestThread = native.spawnRequestThread;

/**
 * Reads records from the done pipe into `out` (`out[2i]` = fd, `out[2i+1]` = result): the count,
 * or -errno (`-EAGAIN` when none is waiting on a non-blocking read end).
 */
export const readThreadRecords = native.readThreadRecords;
