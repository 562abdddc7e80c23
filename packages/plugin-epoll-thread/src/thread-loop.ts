/**
 * The epoll loop of the `epoll-thread` server: one epoll instance holding the listening socket, the
 * read end of the done pipe (where request threads leave their records) and every connection.
 *
 * Connections are registered edge-triggered for input only (once: no epoll_ctl per request); output
 * interest is added with EPOLL_CTL_MOD only while a thread's short send left bytes behind, which needs
 * large answers. The done pipe is level-triggered, so records left after one read come back next round.
 *
 * Timeouts: one clock reading per round stamps what the serve steps see move; `expireAll`, run from a
 * timer every `server.timeoutCheckMs`, applies the header and idle timeouts to every connection
 * (O(connections) a few times a second at most, nothing added per request).
 */
import { Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';
import type { ThreadConnection } from './thread-connection.js';
import type { ThreadConnectionServer } from './thread-connection-server.js';

const { constants: c } = sys;

/** A connection's standing interest: input, edge-triggered, with the peer's half-close. */
const INPUT = c.EPOLLIN | c.EPOLLRDHUP | c.EPOLLET;
/** Connections accepted per readiness of the listening socket, so accepting cannot starve serving. */
const MAX_ACCEPTS_PER_WAKE = 64;
/** Thread records taken per read of the done pipe (the addon reads at most 256). */
const RECORDS_PER_READ = 256;

/** What a `ThreadLoop` serves. */
export interface ThreadLoopParts {
  server: ThreadConnectionServer;
  listenFd: number;
  /** Read end of the done pipe (non-blocking). */
  doneFd: number;
  /** maxevents of each epoll_wait. */
  maxEvents: number;
}

export class ThreadLoop {
  /** The epoll instance (watch it with `watchReadable` to run the loop on Node's event loop). */
  readonly epfd: number;
  private readonly server: ThreadConnectionServer;
  private readonly listenFd: number;
  private readonly doneFd: number;
  private readonly maxEvents: number;
  private readonly events: Int32Array;
  private readonly records = new Int32Array(RECORDS_PER_READ * 2);
  /** Connections by fd. An entry may outlive its connection (closed outside a round); fd -1 says so. */
  private readonly conns: (ThreadConnection | undefined)[] = [];

  constructor(parts: ThreadLoopParts) {
    this.server = parts.server;
    this.listenFd = parts.listenFd;
    this.doneFd = parts.doneFd;
    this.maxEvents = parts.maxEvents;
    this.events = new Int32Array(parts.maxEvents * 2);
    this.epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
    for (const fd of [this.listenFd, this.doneFd]) {
      const rc = sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, fd, c.EPOLLIN);
      if (rc < 0) throw new Error(`epoll_ctl(ADD, fd ${fd}) failed with errno ${-rc}`);
    }
  }

  /** One non-blocking epoll_wait round and the handling of what it returned. */
  runOnce(): void {
    const events = this.events;
    const n = sys.epollWait(this.epfd, events, this.maxEvents, 0);
    if (n < 0 && n !== -c.EINTR) throw new Error(`epoll_wait failed with errno ${-n}`);
    this.server.tick();
    for (let i = 0; i < n; i++) {
      const fd = events[2 * i + 1]!;
      if (fd === this.listenFd) this.acceptAll();
      else if (fd === this.doneFd) this.reap();
      else this.serve(fd, events[2 * i]!);
    }
  }

  /** Reads the records of ended threads (one read of up to 256) and moves their connections on; returns how many. */
  reap(): number {
    const records = this.records;
    const n = sys.readThreadRecords(this.doneFd, records);
    for (let i = 0; i < n; i++) {
      const fd = records[2 * i]!;
      const conn = this.conns[fd];
      if (conn === undefined || !conn.running) continue;
      this.apply(conn, fd, this.server.completed(conn, records[2 * i + 1]!));
    }
    return Math.max(n, 0);
  }

  /** Applies the header and idle timeouts to every connection, at the clock's reading now. */
  expireAll(): void {
    const server = this.server;
    server.tick();
    const conns = this.conns;
    for (let fd = 0; fd < conns.length; fd++) {
      const conn = conns[fd];
      if (conn === undefined) continue;
      // An entry closed outside a round (a queued thread that could not start) is only forgotten.
      this.apply(conn, fd, conn.fd < 0 ? Want.closed : server.expire(conn));
    }
  }

  /**
   * Closes every connection and the epoll instance. Connections whose thread still runs are left
   * open, since a thread sending on a closed fd could hit a reused one; returns how many were.
   */
  close(): number {
    let kept = 0;
    for (const conn of this.conns) {
      if (conn === undefined || conn.fd < 0) continue;
      if (conn.running) kept++;
      else this.server.close(conn);
    }
    this.conns.length = 0;
    sys.close(this.epfd);
    return kept;
  }

  private serve(fd: number, events: number): void {
    const conn = this.conns[fd];
    if (conn === undefined) return;
    const server = this.server;
    let want: Want = Want.read;
    if ((events & c.EPOLLOUT) !== 0 && conn.out !== null) want = server.onWritable(conn);
    if (want !== Want.closed && (events & ~c.EPOLLOUT) !== 0) want = server.onReadable(conn);
    this.apply(conn, fd, want);
  }

  /** Applies a serve step's outcome: forget a closed connection, add or drop output interest. */
  private apply(conn: ThreadConnection, fd: number, want: Want): void {
    if (want === Want.closed || conn.fd < 0) {
      if (this.conns[fd] === conn) this.conns[fd] = undefined;
      return;
    }
    const interest = want === Want.write ? INPUT | c.EPOLLOUT : INPUT;
    if (interest !== conn.interest) {
      conn.interest = interest;
      if (sys.epollCtl(this.epfd, c.EPOLL_CTL_MOD, fd, interest) < 0) this.apply(conn, fd, this.server.close(conn));
    }
  }

  private acceptAll(): void {
    const server = this.server;
    for (let i = 0; i < MAX_ACCEPTS_PER_WAKE; i++) {
      const fd = server.accept(this.listenFd, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
      if (fd === -c.EAGAIN) return;
      if (fd < 0) continue;
      if (sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, fd, INPUT) < 0) {
        server.refuse(fd, 'fdLimit');
        continue;
      }
      const conn = server.open(fd);
      conn.interest = INPUT;
      this.conns[fd] = conn;
    }
  }
}
