/**
 * IoUring: an io_uring instance whose rings JS reads and writes in place (the mapped memory the
 * addon hands over), so a loop fills SQEs and reads CQEs with plain typed-array stores and loads and
 * pays one addon call, `submitAndWait`, per round. Like `PollSet`, this is mechanism only: which
 * ops, flags and fallbacks a server uses is its own business.
 *
 * User data is a uint32 here (the upper half of the kernel's u64 stays 0): enough for `fd << 3 | kind`.
 */
import { highWord, lowWord } from './address-words.js';
import { constants } from './constants.js';
import { type NativeRing, native } from './native.js';

const SQE_WORDS = 16;
const CQE_WORDS = 4;

/** Setup flag sets for `IoUring.openBest`, best first. */
const BEST_SETUPS = [
  constants.IORING_SETUP_DEFER_TASKRUN |
    constants.IORING_SETUP_SINGLE_ISSUER |
    constants.IORING_SETUP_COOP_TASKRUN |
    constants.IORING_SETUP_SUBMIT_ALL,
  constants.IORING_SETUP_COOP_TASKRUN | constants.IORING_SETUP_SUBMIT_ALL,
  0,
];

export class IoUring {
  readonly fd: number;
  /** Setup flags the kernel accepted. */
  readonly flags: number;
  /** IORING_FEAT_* bits of this kernel. */
  readonly features: number;
  readonly sqEntries: number;
  readonly cqEntries: number;
  private readonly ring: NativeRing;
  private readonly sq: Uint32Array;
  private readonly sqes32: Uint32Array;
  private readonly sqMask: number;
  private readonly sqHead: number;
  private readonly sqTail: number;
  /** Local SQ tail: SQEs written so far; `#submitted` of them were handed to the kernel. */
  private tail: number;
  /**
   * The kernel's SQ head as last read. It only moves forward, so a stale value only makes the ring
   * look fuller than it is: `prep` trusts it and reads the head again (an atomic load, a builtin
   * call) only when the ring looks full.
   */
  private sqHeadSeen: number;
  private submitted: number;
  private readonly cq: Uint32Array;
  private readonly cqes: Int32Array;
  private readonly cqMask: number;
  private readonly cqHead: number;
  private readonly cqTail: number;
  private readonly cqesBase: number;
  private head: number;
  private readonly enterFlags: number;

  /**
   * A ring set up with the best flags this kernel takes, tried best first: DEFER_TASKRUN (6.1, with
   * SINGLE_ISSUER: the thread that opens the ring must be the one that enters it) runs completion
   * work only inside io_uring_enter; COOP_TASKRUN (5.19) at least avoids the IPI; SUBMIT_ALL (5.18)
   * keeps submitting past an SQE that fails early. A flag an older kernel does not know fails the
   * setup with EINVAL, and the next set is tried; the last error is thrown.
   */
  static openBest(entries: number, cqEntries: number): IoUring {
    for (let i = 0; ; i++) {
      try {
        return new IoUring(entries, BEST_SETUPS[i]!, cqEntries);
      } catch (err) {
        if ((err as { code?: string }).code !== 'EINVAL' || i === BEST_SETUPS.length - 1) throw err;
      }
    }
  }

  /** io_uring_setup(entries, flags) with a CQ of `cqEntries` (IORING_SETUP_CQSIZE); throws SyscallError. */
  constructor(entries: number, flags: number, cqEntries: number) {
    const ring = native.ioUringSetup(entries, flags | constants.IORING_SETUP_CQSIZE, cqEntries);
    this.ring = ring;
    this.fd = ring.fd;
    this.flags = ring.flags;
    this.features = ring.features;
    this.sqEntries = ring.sqEntries;
    this.cqEntries = ring.cqEntries;
    this.sq = new Uint32Array(ring.sqRing);
    this.sqes32 = new Uint32Array(ring.sqes);
    this.sqMask = this.sq[ring.sqOff.ringMask >> 2]!;
    this.sqHead = ring.sqOff.head >> 2;
    this.sqTail = ring.sqOff.tail >> 2;
    // SQ slot i always holds SQE i: the indirection array is filled once.
    for (let i = 0; i < ring.sqEntries; i++) this.sq[(ring.sqOff.array >> 2) + i] = i;
    this.tail = this.submitted = this.sq[this.sqTail]!;
    this.sqHeadSeen = Atomics.load(this.sq, this.sqHead);
    this.cq = new Uint32Array(ring.cqRing);
    this.cqes = new Int32Array(ring.cqRing);
    this.cqMask = this.cq[ring.cqOff.ringMask >> 2]!;
    this.cqHead = ring.cqOff.head >> 2;
    this.cqTail = ring.cqOff.tail >> 2;
    this.cqesBase = ring.cqOff.cqes >> 2;
    this.head = this.cq[this.cqHead]!;
    // With DEFER_TASKRUN completions are only posted inside io_uring_enter(GETEVENTS): always ask.
    this.enterFlags = constants.IORING_ENTER_GETEVENTS;
  }

  /**
   * Writes one SQE and returns true; when the SQ is full it first submits what is queued (one extra
   * io_uring_enter), so callers never have to handle a full ring. `addr` is a user address (see
   * `address`); `opFlags` is the op's own flags word (msg_flags, accept_flags, poll events, cancel
   * flags); `ioprio` carries the multishot bits of accept and recv; `off` is the SQE's offset word
   * (CONNECT's address length).
   */
  prep(
    opcode: number,
    fd: number,
    addr: number,
    len: number,
    opFlags: number,
    ioprio: number,
    userData: number,
    sqeFlags = 0,
    bufGroup = 0,
    off = 0,
  ): void {
    if ((this.tail - this.sqHeadSeen) >>> 0 >= this.sqEntries) this.makeRoom();
    const slot = this.tail & this.sqMask;
    const w = slot * SQE_WORDS;
    const s = this.sqes32;
    // After `close` the views are detached (length 0) and stores to them would vanish silently.
    if (w >= s.length) throw new TypeError('IoUring.prep on a closed ring');
    // Every word of the 64-byte SQE is stored, the unused ones as 0: a `fill` first would be a call
    // into the runtime per request. Word 0 is opcode, flags and ioprio (little-endian bytes 0, 1, 2–3).
    s[w] = (opcode & 0xff) | ((sqeFlags & 0xff) << 8) | ((ioprio & 0xffff) << 16);
    s[w + 1] = fd;
    s[w + 2] = off;
    s[w + 3] = 0;
    s[w + 4] = lowWord(addr);
    s[w + 5] = highWord(addr);
    s[w + 6] = len;
    s[w + 7] = opFlags;
    s[w + 8] = userData;
    s[w + 9] = 0;
    s[w + 10] = bufGroup & 0xffff; // buf_group; personality 0
    s[w + 11] = 0;
    s[w + 12] = 0;
    s[w + 13] = 0;
    s[w + 14] = 0;
    s[w + 15] = 0;
    this.tail = (this.tail + 1) >>> 0;
  }

  /** The SQ looked full: read the kernel's head again, and if it is full, submit what is queued. */
  private makeRoom(): void {
    this.sqHeadSeen = Atomics.load(this.sq, this.sqHead);
    if ((this.tail - this.sqHeadSeen) >>> 0 < this.sqEntries) return;
    const rc = this.submitAndWait(0);
    this.sqHeadSeen = Atomics.load(this.sq, this.sqHead);
    if ((this.tail - this.sqHeadSeen) >>> 0 >= this.sqEntries) {
      throw new Error(`io_uring submission queue full and io_uring_enter failed with errno ${-rc}`);
    }
  }

  /** SQEs written and not yet submitted. */
  get pending(): number {
    return (this.tail - this.submitted) >>> 0;
  }

  /**
   * Publishes the queued SQEs and enters the kernel once: submits them and waits for `minComplete`
   * completions (0 = do not wait; `timeoutMs >= 0` bounds the wait). Returns the count submitted or
   * -errno (-EINTR, -ETIME on timeout, -EBUSY when the CQ must be drained first).
   */
  submitAndWait(minComplete: number, timeoutMs = -1): number {
    Atomics.store(this.sq, this.sqTail, this.tail);
    const toSubmit = (this.tail - this.submitted) >>> 0;
    const rc = native.ioUringEnter(this.fd, toSubmit, minComplete, this.enterFlags, timeoutMs);
    if (rc > 0) this.submitted = (this.submitted + rc) >>> 0;
    return rc;
  }

  /**
   * Like `submitAndWait`, with the wait bounded in microseconds (`timeoutUs >= 0`; Linux 5.11,
   * IORING_FEAT_EXT_ARG): for a loop whose next deadline is finer than a millisecond.
   */
  submitAndWaitUs(minComplete: number, timeoutUs: number): number {
    Atomics.store(this.sq, this.sqTail, this.tail);
    const toSubmit = (this.tail - this.submitted) >>> 0;
    const rc = native.ioUringEnterUs(this.fd, toSubmit, minComplete, this.enterFlags, timeoutUs);
    if (rc > 0) this.submitted = (this.submitted + rc) >>> 0;
    return rc;
  }

  /** Completions ready to read: `userData(i)`, `res(i)`, `cqeFlags(i)` for i in [0, ready), then `advance(ready)`. */
  ready(): number {
    return (Atomics.load(this.cq, this.cqTail) - this.head) >>> 0;
  }

  userData(i: number): number {
    return this.cq[this.cqesBase + ((this.head + i) & this.cqMask) * CQE_WORDS]!;
  }

  res(i: number): number {
    return this.cqes[this.cqesBase + ((this.head + i) & this.cqMask) * CQE_WORDS + 2]!;
  }

  cqeFlags(i: number): number {
    return this.cq[this.cqesBase + ((this.head + i) & this.cqMask) * CQE_WORDS + 3]!;
  }

  /** Hands `n` read completions' slots back to the kernel. */
  advance(n: number): void {
    this.head = (this.head + n) >>> 0;
    Atomics.store(this.cq, this.cqHead, this.head);
  }

  /** io_uring_register(2) on this ring: result or -errno. */
  register(opcode: number, arg: Uint8Array | null, nrArgs: number): number {
    return native.ioUringRegister(this.fd, opcode, arg, nrArgs);
  }

  /**
   * Unmaps the rings and closes the ring fd. Cancel and reap in-flight requests first: requests hold
   * their files (a listening socket's port) until the ring is torn down, which the kernel finishes
   * asynchronously. Views over the rings read as empty afterwards.
   */
  close(): void {
    for (const region of new Set([this.ring.sqRing, this.ring.cqRing, this.ring.sqes])) native.unmapRegion(region);
    native.close(this.fd);
  }
}

/** The address of `view`'s first byte, for SQE pointers; keep `view` reachable until its final CQE. */
export function address(view: Uint8Array): number {
  return native.address(view);
}
