/**
 * @iobench/syscalls: thin Linux syscall wrappers for the iobench servers, with per-syscall counters.
 *
 * Two kinds of call: setup calls (socket, bind, listen, ...) throw Node-shaped errors (`code`,
 * negative `errno`, `syscall`); hot-path calls (accept4, recv, send, select, poll, epoll*) return a
 * number: the result, or `-errno`, so loops treat EAGAIN and friends as data.
 */
import { native } from './native.js';

export { constants, type SyscallConstants } from './constants.js';
export { counterNames, SyscallCounters, useCounters } from './counters.js';
export { createFdSet, FD_SET_BYTES, fdClr, fdIsSet, fdSet, fdZero } from './fd-set.js';
export { address, IoUring } from './io-uring.js';
export {
  explainSetupFailure,
  type IoUringSupport,
  type IoUringUnavailable,
  ioUringDisabledSysctl,
  ioUringSupport,
} from './io-uring-support.js';
export type { NativeRing, ReadableWatch, SyscallError } from './native.js';
export { PollSet } from './poll-set.js';
export { ProvidedBuffers } from './provided-buffers.js';
export { RequestThreadWork, readThreadRecords, spawnRequestThread } from './request-threads.js';

// Setup calls (throw).
/** socket(2): a new fd. */
export const socket = native.socket;
/** setsockopt(2) with an int value. */
export const setsockopt = native.setsockopt;
/** setsockopt(2) with a struct timeval value given in milliseconds (SO_RCVTIMEO, SO_SNDTIMEO). */
export const setsockoptMs = native.setsockoptMs;
/** SO_BINDTODEVICE: restrict the socket to one interface. */
export const bindToDevice = native.bindToDevice;
/** bind(2) to an IPv4/IPv6 literal; IPv6 may carry a `%iface` scope (`fe80::1%iob0`). */
export const bind = native.bind;
/** listen(2). */
export const listen = native.listen;
/** getsockname(2) as `{ host, port, family }`. */
export const localAddress = native.localAddress;
/** Sets or clears O_NONBLOCK. */
export const setNonBlocking = native.setNonBlocking;
/** eventfd(2): a counter fd used to wake blocked loops. */
export const eventfd = native.eventfd;
/** epoll_create1(2). */
export const epollCreate1 = native.epollCreate1;
/**
 * setns(2): moves the calling thread into the namespace behind `fd` (e.g. an open
 * `/run/netns/<name>` with `constants.CLONE_NEWNET`). Sockets, threads and child processes it creates
 * afterwards belong to that namespace; other threads are unaffected.
 */
export const setns = native.setns;
/** sched_getaffinity(2) of the calling thread: the CPUs it may run on (a pinned process's list), ascending. */
export const schedGetaffinity = native.schedGetaffinity;
/**
 * sched_setaffinity(2) of the calling thread only (other threads keep theirs): e.g. one loop thread
 * per CPU of the list the process was pinned to. Throws SyscallError (EINVAL: none of them allowed).
 */
export const schedSetaffinity = native.schedSetaffinity;
export const setTimerSlack = native.setTimerSlack;
/**
 * The packed `struct sockaddr` of an IPv4/IPv6 literal (IPv6 may carry a `%iface` scope) and a port,
 * for `connect`. Parsed once, so the connect of every request parses nothing.
 */
export const sockaddr = native.sockaddr;
/** pipe2(2): `[readFd, writeFd]` with `flags` (O_CLOEXEC, O_NONBLOCK) on both ends. */
export const pipe2 = native.pipe2;

// Hot-path calls (return >= 0 or -errno).
/** accept4(2): new fd or -errno. */
export const accept4 = native.accept4;
/** recv(2) into `buf[offset, offset+length)`: bytes, 0 at EOF, or -errno. */
export const recv = native.recv;
/** send(2) from `buf[offset, offset+length)` with MSG_NOSIGNAL: bytes sent or -errno. */
export const send = native.send;
/** shutdown(2): 0 or -errno. */
export const shutdown = native.shutdown;
/** close(2): 0 or -errno. */
export const close = native.close;
/** Adds `value` to an eventfd: 0 or -errno. */
export const eventfdWrite = native.eventfdWrite;
/** Reads (and resets) an eventfd: its value or -errno. */
export const eventfdRead = native.eventfdRead;
/**
 * select(2) on fd_set bitmaps used in place (see fd-set.ts); `timeoutMs < 0` blocks. Returns the
 * ready count or -errno; nfds > FD_SETSIZE or a set shorter than FD_SETSIZE/8 bytes gives -EINVAL.
 */
export const select = native.select;
/** poll(2) on `count` struct pollfd in `pollfds` (see PollSet): ready count or -errno. */
export const poll = native.poll;
/** epoll_ctl(2) with `data.fd = fd`: 0 or -errno. */
export const epollCtl = native.epollCtl;
/** epoll_wait(2): count or -errno; fills `out[2i] = events`, `out[2i+1] = fd`. */
export const epollWait = native.epollWait;
/**
 * Calls `onReadable` on Node's event loop whenever `fd` is readable (a libuv poll handle), e.g. on an
 * epoll fd so a loop can wait without blocking the thread. libuv makes `fd` non-blocking.
 */
export const watchReadable = native.watchReadable;
/** connect(2) to an address from `sockaddr`: 0, or -errno (`-EINPROGRESS` while a non-blocking handshake goes on). */
export const connect = native.connect;
/** getsockopt(SO_ERROR): the socket's pending error (0 = none, e.g. a connect that completed), or -errno. */
export const socketError = native.socketError;
/**
 * epoll_pwait2(2): like `epollWait` with a timeout in microseconds (`< 0` blocks), for loops that
 * must wake for a deadline finer than a millisecond. `-ENOSYS` before Linux 5.11.
 */
export const epollWaitUs = native.epollWaitUs;
