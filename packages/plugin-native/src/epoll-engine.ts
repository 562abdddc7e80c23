/**
 * The native generator's epoll engine (the default): one thread, one epoll instance,
 * `spec.connections` non-blocking sockets, each registered once, edge-triggered, for in and out — so
 * no epoll_ctl per request. A request is one send(2) of prebuilt bytes; a response is framed in
 * place from one recv(2) buffer shared by the thread's connections. Everything that is not I/O
 * (connection table, time rings, open model, responses, failures, timeouts, the result) is
 * `LoadEngine`'s.
 */
import type { StopSignal } from '@iobench/core/thread';
import { nowUs, type ProgressSlot } from '@iobench/load-kit/thread';
import * as sys from '@iobench/syscalls';
import { CONNECTING, type Connection, OPEN } from './connection.js';
import { LoadEngine } from './load-engine.js';
import type { NativeThreadSpec } from './thread-spec.js';

const { constants: c } = sys;

/** recv buffer, shared by the thread's connections (a response is framed before the next read). */
const RECV_BYTES = 64 * 1024;
const MAX_EVENTS = 512;
const CONNECTION_EVENTS = c.EPOLLIN | c.EPOLLOUT | c.EPOLLRDHUP | c.EPOLLET;

export class EpollEngine extends LoadEngine {
  private readonly byFd: (Connection | undefined)[] = [];
  private readonly epfd: number;
  private readonly recvBuf = new Uint8Array(RECV_BYTES);
  private readonly events = new Int32Array(MAX_EVENTS * 2);

  constructor(spec: NativeThreadSpec, stop: StopSignal, progress?: ProgressSlot) {
    super(spec, stop, progress);
    this.epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
    // Level-triggered and never read: the stop eventfd wakes every thread of the run.
    if (sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, stop.wakeFd, c.EPOLLIN) < 0) {
      throw new Error('epoll_ctl could not watch the stop eventfd');
    }
  }

  /** Closes every socket and the epoll instance. */
  close(): void {
    for (const conn of this.connections) if (conn.fd >= 0) sys.close(conn.fd);
    sys.close(this.epfd);
  }

  /** One epoll_pwait2 with a microsecond timeout, then every event. */
  protected wait(now: number, wakeUs: number): void {
    const n = sys.epollWaitUs(this.epfd, this.events, MAX_EVENTS, Math.max(0, wakeUs - now));
    this.idleUs += nowUs() - now;
    if (n < 0 && n !== -c.EINTR) throw new Error(`epoll_pwait2 failed with errno ${-n}`);
    for (let i = 0; i < n; i++) this.onEvent(this.events[2 * i + 1]!, this.events[2 * i]!);
  }

  private onEvent(fd: number, events: number): void {
    if (fd === this.stop.wakeFd) return;
    const conn = this.byFd[fd];
    if (conn === undefined) return;
    // Bytes readable as the connect completes were sent before any request of ours: none is theirs.
    let unrequested = false;
    if (conn.state === CONNECTING) {
      if ((events & (c.EPOLLERR | c.EPOLLHUP)) !== 0) {
        const err = sys.socketError(fd);
        this.connectFailed(conn, err > 0 ? err : c.ECONNREFUSED, nowUs());
        return;
      }
      if ((events & c.EPOLLOUT) === 0) return;
      unrequested = (events & c.EPOLLIN) !== 0;
      this.connected(conn, nowUs());
    }
    if ((events & (c.EPOLLIN | c.EPOLLERR | c.EPOLLHUP | c.EPOLLRDHUP)) !== 0) {
      this.read(conn, (events & (c.EPOLLRDHUP | c.EPOLLHUP)) !== 0, unrequested);
    }
    if (conn.state === OPEN && conn.unsentBytes > 0 && (events & c.EPOLLOUT) !== 0) this.flush(conn);
  }

  /**
   * Reads what arrived; `peerClosed`: the server's FIN came too, so read on until recv says EOF.
   * `unrequested`: the first read's bytes arrived before any request was sent.
   */
  private read(conn: Connection, peerClosed: boolean, unrequested = false): void {
    const buf = this.recvBuf;
    for (;;) {
      const answerable = unrequested ? 0 : this.answerable(conn);
      unrequested = false;
      const n = sys.recv(conn.fd, buf, 0, RECV_BYTES, 0);
      if (n > 0) {
        if (!this.frame(conn, buf, 0, n, answerable, nowUs())) return;
        // A short read drained the data: under edge triggering, new data brings a new event. A FIN
        // that arrived with the data brings none of its own, so then read on to the EOF.
        if (n < RECV_BYTES && !peerClosed) return;
      } else if (n === 0) {
        this.endOfStream(conn, nowUs());
        return;
      } else {
        if (n !== -c.EAGAIN) this.readFailed(conn, -n);
        return;
      }
    }
  }

  protected connect(conn: Connection, now: number): void {
    if (this.stopped) return;
    const fd = this.openSocket(conn, now, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
    if (fd < 0) return;
    const rc = sys.connect(fd, this.addr);
    let errno = rc === 0 || rc === -c.EINPROGRESS ? 0 : -rc;
    if (errno === 0) errno = -Math.min(0, sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, fd, CONNECTION_EVENTS));
    if (errno !== 0) {
      sys.close(fd);
      this.connectFailed(conn, errno, now);
      return;
    }
    this.connecting(conn, fd, now);
    this.byFd[fd] = conn;
  }

  protected flush(conn: Connection): void {
    const n = sys.send(conn.fd, this.cycle.bytes, this.unsentOffset(conn), conn.unsentBytes, 0);
    if (n >= 0) this.sent(conn, n);
    else if (n !== -c.EAGAIN) this.writeFailed(conn, -n);
  }

  protected closeSocket(conn: Connection): void {
    this.byFd[conn.fd] = undefined;
    sys.close(conn.fd);
    conn.reset();
  }
}
