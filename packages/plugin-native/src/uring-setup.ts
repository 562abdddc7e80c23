/**
 * The io_uring engine's ring: set up with the best this kernel takes, with a ring of provided
 * buffers for its receives; and the check, before any thread starts, that this process may use
 * io_uring with what the engine needs, saying why not in terms a user can act on.
 */
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;

/** Submission queue entries; a full SQ is submitted early (one more io_uring_enter), never dropped. */
const SQ_ENTRIES = 1024;
/** Completion queue entries; beyond them the kernel keeps completions on its overflow list (NODROP). */
const CQ_ENTRIES = 8192;
/**
 * Provided buffers: 4096 x 4 KiB per thread. A response is framed out of its buffer in the round it
 * arrives and the buffer goes back at once, so the count, not the size, bounds how many connections
 * may complete a receive in one round before one waits (ENOBUFS, then re-armed).
 */
const BUFFER_COUNT = 4096;
const BUFFER_BYTES = 4096;
const BUFFER_GROUP = 0;

/** What the engine counts beyond the common tallies (the result's `extra`, summed over threads). */
export interface UringCounters {
  /** io_uring_enter calls of the measured phase (rounds). */
  enters: number;
  completions: number;
  /** Receives that found every provided buffer in use (re-armed). */
  noBuffers: number;
  /** 1 when the kernel refused multishot recv and receives went single-shot. */
  recvFallbacks: number;
  /** Sends the socket took only in part (the rest was sent in another SEND). */
  partialSends: number;
}

/** Opens the ring and registers its buffers (throws the SyscallError of the last setup tried). */
export function openClientRing(): { ring: sys.IoUring; buffers: sys.ProvidedBuffers } {
  const ring = sys.IoUring.openBest(SQ_ENTRIES, CQ_ENTRIES);
  try {
    return { ring, buffers: new sys.ProvidedBuffers(ring, BUFFER_GROUP, BUFFER_COUNT, BUFFER_BYTES) };
  } catch (err) {
    ring.close();
    throw err;
  }
}

type Unavailable = { reason: string; fix: string } | undefined;
/** The answer of this process's first check: the kernel and its seccomp policy do not change under it. */
let checked: { answer: Unavailable } | undefined;

/**
 * Whether `engine=io_uring` can run here: the syscalls' probe (io_uring allowed, the basic ops),
 * plus CONNECT and CLOSE (5.6), microsecond waits (EXT_ARG, 5.11) and provided-buffer rings (5.19),
 * tried for real once per process (a ring and its 16 MiB of buffers, not set up again every point).
 * Undefined when it can; else why not and the fix.
 */
export function uringEngineUnavailable(): Unavailable {
  checked ??= { answer: probeUringEngine() };
  return checked.answer;
}

function probeUringEngine(): Unavailable {
  const support = sys.ioUringSupport();
  if (!support.available) return { reason: support.reason, fix: support.fix };
  const missing: string[] = [];
  if (support.ops[c.IORING_OP_CONNECT] !== true) missing.push('IORING_OP_CONNECT (Linux 5.5)');
  if (support.ops[c.IORING_OP_CLOSE] !== true) missing.push('IORING_OP_CLOSE (Linux 5.6)');
  if ((support.features & c.IORING_FEAT_EXT_ARG) === 0) missing.push('IORING_FEAT_EXT_ARG (Linux 5.11)');
  if (missing.length === 0) {
    try {
      const { ring, buffers } = openClientRing();
      buffers.release();
      ring.close();
    } catch (err) {
      missing.push(`provided-buffer rings (Linux 5.19): ${(err as Error).message}`);
    }
  }
  if (missing.length === 0) return undefined;
  return {
    reason: `this kernel's io_uring lacks ${missing.join(', ')}`,
    fix: 'Run on Linux 5.19 or newer (6.0+ for multishot receives), or use engine=epoll.',
  };
}
