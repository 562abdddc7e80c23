/**
 * The one file that loads the native addon and types it. Everything else imports from here.
 * The binary lives at `<package>/build/Release/iobench_syscalls.node`; this file sits one level below
 * the package root both as `src/native.ts` (tsx) and as `dist/native.js`, so one relative path works.
 */
import { createRequire } from 'node:module';

/** A Node-shaped system error thrown by the setup calls. */
export interface SyscallError extends Error {
  /** e.g. `EADDRINUSE`. */
  code: string;
  /** Negative errno, as in Node. */
  errno: number;
  /** The failing syscall, e.g. `bind`. */
  syscall: string;
  address?: string;
  port?: number;
}

/** Handle returned by `watchReadable`. */
export interface ReadableWatch {
  /** Stops watching; idempotent. Until then the handle keeps the event loop alive. */
  stop(): void;
}

/** What `ioUringSetup` returns: the ring fd, what the kernel granted, and the mapped rings. */
export interface NativeRing {
  fd: number;
  /** Setup flags as the kernel kept them. */
  flags: number;
  /** IORING_FEAT_* bits of this kernel. */
  features: number;
  sqEntries: number;
  cqEntries: number;
  /** The mapped SQ ring (head, tail, mask, array); the same buffer as `cqRing` with IORING_FEAT_SINGLE_MMAP. */
  sqRing: ArrayBuffer;
  cqRing: ArrayBuffer;
  /** The mapped SQE array (64 bytes each). */
  sqes: ArrayBuffer;
  /** Byte offsets in `sqRing` (struct io_sqring_offsets). */
  sqOff: { head: number; tail: number; ringMask: number; flags: number; dropped: number; array: number };
  /** Byte offsets in `cqRing` (struct io_cqring_offsets). */
  cqOff: { head: number; tail: number; ringMask: number; overflow: number; cqes: number };
}

/** The addon's exports, hand-typed. Hot-path calls return `-errno`; setup calls throw `SyscallError`. */
export interface NativeSyscalls {
  constants: Record<string, number>;
  /** Names of the counter slots, in slot order. */
  counterNames: string[];
  useCounters(counters: BigUint64Array | null): void;
  socket(domain: number, type: number, protocol?: number): number;
  setsockopt(fd: number, level: number, name: number, value: number): void;
  setsockoptMs(fd: number, level: number, name: number, ms: number): void;
  bindToDevice(fd: number, iface: string): void;
  bind(fd: number, host: string, port: number): void;
  listen(fd: number, backlog: number): void;
  localAddress(fd: number): { host: string; port: number; family: 4 | 6 };
  setNonBlocking(fd: number, on: boolean): void;
  eventfd(initval: number, flags: number): number;
  epollCreate1(flags: number): number;
  accept4(fd: number, flags: number): number;
  recv(fd: number, buf: Uint8Array, offset: number, length: number, flags: number): number;
  send(fd: number, buf: Uint8Array, offset: number, length: number, flags: number): number;
  shutdown(fd: number, how: number): number;
  close(fd: number): number;
  eventfdWrite(fd: number, value: number): number;
  eventfdRead(fd: number): number;
  select(nfds: number, readSet: Uint8Array | null, writeSet: Uint8Array | null, timeoutMs: number): number;
  poll(pollfds: Uint8Array, count: number, timeoutMs: number): number;
  epollCtl(epfd: number, op: number, fd: number, events: number): number;
  epollWait(epfd: number, out: Int32Array, maxEvents: number, timeoutMs: number): number;
  watchReadable(fd: number, onReadable: () => void): ReadableWatch;
  setns(fd: number, nstype: number): void;
  schedGetaffinity(): number[];
  schedSetaffinity(cpus: number[]): void;
  /** prctl(PR_SET_TIMERSLACK): how many nanoseconds late the kernel may end the calling thread's timed waits. */
  setTimerSlack(ns: number): void;
  sockaddr(host: string, port: number): Buffer;
  connect(fd: number, addr: Uint8Array): number;
  socketError(fd: number): number;
  epollWaitUs(epfd: number, out: Int32Array, maxEvents: number, timeoutUs: number): number;
  pipe2(flags: number): [readFd: number, writeFd: number];
  spawnRequestThread(
    fd: number,
    answer: Uint8Array,
    workKind: number,
    workUs: number,
    doneFd: number,
    cancelFd: number,
  ): number;
  readThreadRecords(doneFd: number, out: Int32Array): number;
  ioUringSetup(entries: number, flags: number, cqEntries: number): NativeRing;
  ioUringEnter(fd: number, toSubmit: number, minComplete: number, flags: number, timeoutMs?: number): number;
  ioUringEnterUs(fd: number, toSubmit: number, minComplete: number, flags: number, timeoutUs: number): number;
  ioUringRegister(fd: number, opcode: number, arg: Uint8Array | null, nrArgs: number): number;
  ioUringSetupBufRing(fd: number, entries: number, bgid: number): ArrayBuffer;
  unmapRegion(buffer: ArrayBuffer): void;
  address(view: Uint8Array): number;
}

const BINARY = '../build/Release/iobench_syscalls.node';

function load(): NativeSyscalls {
  if (process.platform !== 'linux') {
    throw Object.assign(
      new Error(
        `@iobench/syscalls needs Linux (select, poll, epoll, eventfd, accept4); this platform is ${process.platform}. ` +
          'Run the socket servers on Linux, or use a server plugin that does not need the syscall layer.',
      ),
      { code: 'IOBENCH_PLATFORM_UNSUPPORTED' },
    );
  }
  const require = createRequire(import.meta.url);
  try {
    // A copy of the exports object: the addon builds it in dictionary mode, so every `native.x(...)`
    // in a hot loop (recv, send, io_uring_enter) was a hash lookup; a spread copy has fast properties.
    return { ...(require(BINARY) as NativeSyscalls) };
  } catch (cause) {
    throw Object.assign(
      new Error(
        `@iobench/syscalls could not load its native addon (expected ${new URL(BINARY, import.meta.url).pathname}). ` +
          'Build it with `npm run build --workspace @iobench/syscalls` (needs g++, make, python3 and Node headers).',
        { cause },
      ),
      { code: 'IOBENCH_NATIVE_MISSING' },
    );
  }
}

/** The loaded addon (loaded once per thread, on first import). */
export const native: NativeSyscalls = load();
