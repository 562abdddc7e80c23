import { native } from './native.js';

/** Linux constants, read from the system headers by the addon (so they are right for this machine). */
export interface SyscallConstants {
  AF_INET: number;
  AF_INET6: number;
  SOCK_STREAM: number;
  SOCK_NONBLOCK: number;
  SOCK_CLOEXEC: number;
  SOL_SOCKET: number;
  SO_REUSEADDR: number;
  SO_REUSEPORT: number;
  SO_BINDTODEVICE: number;
  /** Receive / send timeouts (a struct timeval: set them with `setsockoptMs`); accepted sockets inherit them. */
  SO_RCVTIMEO: number;
  SO_SNDTIMEO: number;
  IPPROTO_TCP: number;
  TCP_NODELAY: number;
  SHUT_RD: number;
  SHUT_WR: number;
  SHUT_RDWR: number;
  MSG_NOSIGNAL: number;
  MSG_DONTWAIT: number;
  EPOLLIN: number;
  EPOLLOUT: number;
  EPOLLERR: number;
  EPOLLHUP: number;
  EPOLLRDHUP: number;
  EPOLLET: number;
  EPOLLONESHOT: number;
  EPOLL_CTL_ADD: number;
  EPOLL_CTL_MOD: number;
  EPOLL_CTL_DEL: number;
  EPOLL_CLOEXEC: number;
  EFD_NONBLOCK: number;
  EFD_CLOEXEC: number;
  POLLIN: number;
  POLLOUT: number;
  POLLERR: number;
  POLLHUP: number;
  POLLNVAL: number;
  FD_SETSIZE: number;
  EAGAIN: number;
  EWOULDBLOCK: number;
  EINTR: number;
  EMFILE: number;
  ENFILE: number;
  ECONNRESET: number;
  EPIPE: number;
  EINVAL: number;
  EBADF: number;
  ENOTCONN: number;
  ECONNABORTED: number;
  ETIMEDOUT: number;
  /** setns(2) namespace type of a network namespace. */
  CLONE_NEWNET: number;
  EINPROGRESS: number;
  EALREADY: number;
  ECONNREFUSED: number;
  EHOSTUNREACH: number;
  ENETUNREACH: number;
  EADDRNOTAVAIL: number;
  EADDRINUSE: number;
  ENOSYS: number;
  SO_ERROR: number;
  /** A request thread's result when stop cancelled its work before the send. */
  ECANCELED: number;
  O_NONBLOCK: number;
  O_CLOEXEC: number;
  ENOMEM: number;
  ENOBUFS: number;
  ENOENT: number;
  EBUSY: number;
  ETIME: number;
  EPERM: number;
  EACCES: number;
  EOPNOTSUPP: number;
  // io_uring (linux/io_uring.h of the machine that built the addon)
  IORING_OP_NOP: number;
  IORING_OP_POLL_ADD: number;
  IORING_OP_ACCEPT: number;
  IORING_OP_ASYNC_CANCEL: number;
  IORING_OP_CLOSE: number;
  IORING_OP_READ: number;
  IORING_OP_SEND: number;
  IORING_OP_RECV: number;
  IORING_OP_SHUTDOWN: number;
  IORING_OP_CONNECT: number;
  IORING_OP_LAST: number;
  IORING_SETUP_CQSIZE: number;
  IORING_SETUP_SUBMIT_ALL: number;
  IORING_SETUP_COOP_TASKRUN: number;
  IORING_SETUP_SINGLE_ISSUER: number;
  IORING_SETUP_DEFER_TASKRUN: number;
  IORING_ENTER_GETEVENTS: number;
  IORING_FEAT_SINGLE_MMAP: number;
  IORING_FEAT_NODROP: number;
  IORING_FEAT_FAST_POLL: number;
  IORING_FEAT_EXT_ARG: number;
  IORING_FEAT_NATIVE_WORKERS: number;
  IORING_FEAT_CQE_SKIP: number;
  IOSQE_FIXED_FILE: number;
  IOSQE_IO_LINK: number;
  IOSQE_BUFFER_SELECT: number;
  IOSQE_CQE_SKIP_SUCCESS: number;
  IORING_CQE_F_BUFFER: number;
  IORING_CQE_F_MORE: number;
  IORING_CQE_BUFFER_SHIFT: number;
  IORING_RECV_MULTISHOT: number;
  IORING_ACCEPT_MULTISHOT: number;
  IORING_POLL_ADD_MULTI: number;
  IORING_ASYNC_CANCEL_ALL: number;
  IORING_ASYNC_CANCEL_FD: number;
  IORING_ASYNC_CANCEL_ANY: number;
  IORING_REGISTER_PROBE: number;
  IO_URING_OP_SUPPORTED: number;
}

/**
 * A copy of the addon's object: that one holds its ~110 keys in dictionary mode, so every
 * `constants.X` in a hot loop was a hash lookup (a generic LoadIC); a spread copy has fast
 * properties, and frozen they fold into constants in optimised code.
 */
export const constants: Readonly<SyscallConstants> = Object.freeze({
  ...(native.constants as unknown as SyscallConstants),
});
