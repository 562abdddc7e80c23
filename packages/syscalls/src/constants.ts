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
}

export const constants: Readonly<SyscallConstants> = Object.freeze(native.constants as unknown as SyscallConstants);
