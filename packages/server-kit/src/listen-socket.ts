/**
 * The listening socket every socket server starts from, made from the common server options:
 * socket, SO_REUSEADDR, TCP_NODELAY (accepted sockets inherit it, so no per-connection setsockopt),
 * SO_RCVTIMEO and SO_SNDTIMEO for a blocking model (inherited too), SO_BINDTODEVICE, bind (IPv4,
 * IPv6, IPv6 with `%iface` scope), listen.
 */
import { serverUrl } from '@iobench/serving';
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;

/** What the listening socket is made from (a subset of the common server options). */
export interface ListenSocketOptions {
  host: string;
  port: number;
  backlog: number;
  bindDevice?: string | undefined;
  /** O_NONBLOCK on the listening socket: every model except the blocking one. */
  nonBlocking: boolean;
  /** SO_REUSEPORT, for servers that run several listening sockets on one port. */
  reusePort?: boolean;
  /** SO_RCVTIMEO and SO_SNDTIMEO (ms): bound blocking accept, recv and send on it and on accepted sockets. */
  ioTimeoutMs?: number | undefined;
}

/** A bound, listening socket. */
export interface ListeningSocket {
  fd: number;
  host: string;
  /** The bound port (the kernel's pick when the options said 0). */
  port: number;
  family: 4 | 6;
  /** `http://host:port/`, IPv6 in brackets. */
  url: string;
}

/** Opens the listening socket; throws the syscall layer's Node-shaped errors (e.g. EADDRINUSE). */
export function openListeningSocket(options: ListenSocketOptions): ListeningSocket {
  const family = options.host.includes(':') ? c.AF_INET6 : c.AF_INET;
  const fd = sys.socket(family, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  try {
    sys.setsockopt(fd, c.SOL_SOCKET, c.SO_REUSEADDR, 1);
    if (options.reusePort === true) sys.setsockopt(fd, c.SOL_SOCKET, c.SO_REUSEPORT, 1);
    sys.setsockopt(fd, c.IPPROTO_TCP, c.TCP_NODELAY, 1);
    if (options.ioTimeoutMs !== undefined) {
      sys.setsockoptMs(fd, c.SOL_SOCKET, c.SO_RCVTIMEO, options.ioTimeoutMs);
      sys.setsockoptMs(fd, c.SOL_SOCKET, c.SO_SNDTIMEO, options.ioTimeoutMs);
    }
    if (options.bindDevice !== undefined) sys.bindToDevice(fd, options.bindDevice);
    sys.bind(fd, options.host, options.port);
    sys.listen(fd, options.backlog);
    if (options.nonBlocking) sys.setNonBlocking(fd, true);
    const { port } = sys.localAddress(fd);
    return { fd, host: options.host, port, family: family === c.AF_INET6 ? 6 : 4, url: serverUrl(options.host, port) };
  } catch (err) {
    sys.close(fd);
    throw err;
  }
}
