/**
 * The epoll I/O model: one thread, one epoll instance, every socket non-blocking.
 *
 * Level-triggered (default): a connection is registered for EPOLLIN, switched to EPOLLOUT only while
 * a response is stuck in its send buffer, and back; epoll_ctl runs only when that interest changes.
 * Edge-triggered: a connection is registered once for EPOLLIN | EPOLLOUT | EPOLLET and never touched
 * again; the serve steps then read until a short read, and flush pending output on EPOLLOUT edges.
 *
 * `EpollLoop` is reusable: `run()` blocks in epoll_wait (a loop thread), while `runOnce(0)` driven by
 * `watchReadable(loop.epfd, ...)` lets a loop live on Node's own event loop instead (which must then
 * also call `checkTimeouts()` every `server.timeoutCheckMs`).
 *
 * Timeouts: one clock reading per epoll_wait return; epoll_wait waits no longer than the next timeout
 * check, which runs `expire` over every connection (O(connections) a few times a second at most).
 */
import { type Connection, type ConnectionServer, type LoopContext, Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;

/** Connections accepted per readiness of the listening socket, so accepting cannot starve serving. */
const MAX_ACCEPTS_PER_WAKE = 64;

/** Tuning of an `EpollLoop`. */
export interface EpollLoopOptions {
  /** EPOLLET: register each connection once for in and out, drain on every edge. */
  edgeTriggered: boolean;
  /** maxevents of each epoll_wait. */
  maxEvents: number;
}

/** What an `EpollLoop` serves: the loop context's parts it needs. */
export type EpollLoopParts = Pick<LoopContext<unknown>, 'server' | 'listenFd' | 'wakeFd' | 'stopRequested'>;

export class EpollLoop {
  /** The epoll instance (watch it with `watchReadable` to run the loop on Node's event loop). */
  readonly epfd: number;
  private readonly server: ConnectionServer;
  private readonly listenFd: number;
  private readonly wakeFd: number;
  private readonly stopRequested: () => boolean;
  private readonly edge: boolean;
  private readonly maxEvents: number;
  private readonly events: Int32Array;
  /** Connections by fd. */
  private readonly conns: (Connection | undefined)[] = [];

  constructor(parts: EpollLoopParts, options: EpollLoopOptions) {
    this.server = parts.server;
    this.listenFd = parts.listenFd;
    this.wakeFd = parts.wakeFd;
    this.stopRequested = parts.stopRequested;
    this.edge = options.edgeTriggered;
    this.maxEvents = options.maxEvents;
    this.events = new Int32Array(options.maxEvents * 2);
    this.epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
    for (const fd of [this.listenFd, this.wakeFd]) {
      const rc = sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, fd, c.EPOLLIN);
      if (rc < 0) throw new Error(`epoll_ctl(ADD, fd ${fd}) failed with errno ${-rc}`);
    }
  }

  /** Serves until the host asks to stop, blocking in epoll_wait between rounds (until a timeout check is due). */
  run(): void {
    while (this.runOnce(this.server.waitMs()));
  }

  /** One epoll_wait (`timeoutMs`, -1 = block) and the handling of what it returned; false once stopping. */
  runOnce(timeoutMs: number): boolean {
    if (this.stopRequested()) return false;
    const events = this.events;
    const n = sys.epollWait(this.epfd, events, this.maxEvents, timeoutMs);
    if (n < 0 && n !== -c.EINTR) throw new Error(`epoll_wait failed with errno ${-n}`);
    this.server.tick();
    for (let i = 0; i < n; i++) {
      const fd = events[2 * i + 1]!;
      // The stop eventfd is never read: it stays readable so that every loop of the server wakes.
      if (fd === this.listenFd) this.acceptAll();
      else if (fd !== this.wakeFd) this.serve(fd, events[2 * i]!);
    }
    if (this.server.checkDue()) this.expireAll();
    return !this.stopRequested();
  }

  /** Applies the timeouts now if a check is due (for loops driven from Node's event loop). */
  checkTimeouts(): void {
    this.server.tick();
    if (this.server.checkDue()) this.expireAll();
  }

  /** Re-applies a serve step's outcome for `conn` (for callers that serve connections themselves). */
  apply(conn: Connection, fd: number, want: Want): void {
    if (want === Want.closed) {
      this.conns[fd] = undefined;
      return;
    }
    if (this.edge) return;
    const interest = want === Want.write ? c.EPOLLOUT : c.EPOLLIN;
    if (interest !== conn.interest) {
      conn.interest = interest;
      if (sys.epollCtl(this.epfd, c.EPOLL_CTL_MOD, fd, interest) < 0) this.apply(conn, fd, this.server.close(conn));
    }
  }

  /** Closes every connection and the epoll instance (the host closes the listening and wake fds). */
  close(): void {
    for (const conn of this.conns) if (conn !== undefined) this.server.close(conn);
    this.conns.length = 0;
    sys.close(this.epfd);
  }

  private serve(fd: number, events: number): void {
    const conn = this.conns[fd];
    if (conn === undefined) return;
    const server = this.server;
    let want: Want;
    if (this.edge) {
      want = Want.read;
      if ((events & c.EPOLLOUT) !== 0 && conn.out !== null) want = server.onWritable(conn);
      if (want !== Want.closed && (events & ~c.EPOLLOUT) !== 0) want = server.onReadable(conn);
    } else {
      want = conn.interest === c.EPOLLOUT ? server.onWritable(conn) : server.onReadable(conn);
    }
    this.apply(conn, fd, want);
  }

  private expireAll(): void {
    const conns = this.conns;
    for (let fd = 0; fd < conns.length; fd++) {
      const conn = conns[fd];
      if (conn !== undefined) this.apply(conn, fd, this.server.expire(conn));
    }
  }

  private acceptAll(): void {
    const server = this.server;
    const interest = this.edge ? c.EPOLLIN | c.EPOLLOUT | c.EPOLLRDHUP | c.EPOLLET : c.EPOLLIN;
    for (let i = 0; i < MAX_ACCEPTS_PER_WAKE; i++) {
      const fd = server.accept(this.listenFd, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
      if (fd === -c.EAGAIN) return;
      if (fd < 0) continue;
      if (sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, fd, interest) < 0) {
        server.refuse(fd, 'fdLimit');
        continue;
      }
      const conn = server.open(fd);
      conn.interest = interest;
      this.conns[fd] = conn;
    }
  }
}

/** The epoll server's loop thread: an `EpollLoop` over the loop context until stop. */
export default function runEpollLoop(ctx: LoopContext<EpollLoopOptions>): void {
  const loop = new EpollLoop(ctx, ctx.options);
  try {
    ctx.ready();
    loop.run();
  } finally {
    loop.close();
  }
}
