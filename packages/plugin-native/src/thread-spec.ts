/**
 * What one native generator thread is asked to do. It crosses the worker-thread boundary through
 * structured clone, so it holds plain data only.
 */
import type { LoadShare, ThreadResult } from '@iobench/load-kit/thread';
import type { UringCounters } from './uring-setup.js';

export interface NativeThreadSpec extends LoadShare {
  /** Target address as a literal the syscall layer packs: IPv4, IPv6, or IPv6 with `%zone`. */
  host: string;
  port: number;
  /** The bytes of each request of the list every connection cycles through, built once (at least one). */
  requestList: Uint8Array[];
  /** By request of the list: it is a HEAD, so its response carries no body. */
  headOnly: boolean[];
  /** Requests in flight per connection. */
  pipelining: number;
  durationMs: number;
  timeoutMs: number;
  /** Source address to bind connections to (IPv6 may carry `%zone`). */
  localAddress?: string;
  /** The I/O engine of the thread's loop. */
  engine: NativeEngine;
}

/** `io_uring`: UringEngine (where it can run); `epoll`: EpollEngine. */
export type NativeEngine = 'epoll' | 'io_uring';

/** A thread's result, with what only the native loop reports. */
export interface NativeThreadResult extends ThreadResult {
  /** Connects that failed because this process ran out of file descriptors (EMFILE/ENFILE). */
  fdLimitErrors: number;
  /** Syscalls the thread issued in its measured phase, by syscall (the syscall layer's counters). */
  syscalls?: Record<string, number>;
  /** The io_uring engine's own counts (see UringCounters). */
  uring?: UringCounters;
}
