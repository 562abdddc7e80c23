/**
 * The serve steps every I/O model calls: accept a connection, and serve it when it is readable or
 * writable. The model decides *when* (select, poll, epoll, blocking calls); this decides *what*:
 * recv into one reused buffer, frame requests, do the handler work, send precomputed answers (all
 * the answers to one read's pipelined requests in a single send), keep unsent bytes, count, close.
 *
 * Timeouts: the serve steps stamp each connection when bytes move (with the loop's one clock reading
 * per round, `now`), and `expire` applies the header and idle timeouts to a connection; a loop calls
 * it for every connection when `checkDue()` says so, waiting at most `waitMs()` for readiness.
 */
import {
  type FrameError,
  type HandlerWork,
  performWork,
  type Responder,
  timeoutCheckIntervalMs,
} from '@iobench/serving';
import * as sys from '@iobench/syscalls';
import { Connection, type DeferredConnection, Want } from './connection.js';
import { FRAME_ERROR_SLOT, type ServerCounters, Slot } from './server-counters.js';

const { constants: c } = sys;

/** Framed requests per connection after which a deferred read stops (the rest waits in the socket). */
const MAX_FRAMED_PER_READ = 1024;

/** Options of a `ConnectionServer`. */
export interface ConnectionServerOptions {
  responder: Responder;
  work: HandlerWork;
  counters: ServerCounters;
  /** Size of the shared receive buffer (bytes read per recv). Default 64 KiB. */
  recvBufferBytes?: number;
  /** Pipelined answers are batched up to about this many bytes per send. Default 64 KiB. */
  batchBytes?: number;
  /**
   * A request head must be complete this long after the accept (first request) or its first byte
   * (later ones); else 408 and close, counted as `headerTimeout`. 0 (the default here) = never.
   */
  headerTimeoutMs?: number;
  /** A connection on which nothing moved for this long is closed, counted as `idleTimeout`. 0 = never. */
  idleTimeoutMs?: number;
  /**
   * The loop blocks inside the serve steps (the blocking model): stamps then read the clock when bytes
   * move, because a `now` read before a blocking call is stale once it returns.
   */
  blocking?: boolean;
}

/**
 * A server's connection-level state shared by its loop: the responder, the handler work, the
 * counters, the one receive buffer and the timeouts; the serve steps above run on it.
 */
export class ConnectionServer {
  readonly responder: Responder;
  readonly work: HandlerWork;
  readonly counters: ServerCounters;
  private readonly values: Float64Array;
  /** The one receive buffer every recv of this server reads into; read it before the next recv. */
  protected readonly recvBuffer: Uint8Array;
  private readonly batchLimit: number;
  /** Reused buffer that `stageAnswer` joins answers into; grows, so read it after staging. */
  protected batch: Uint8Array;
  /** A spare fd, closed to make room when accept hits the fd limit so the connection can be refused. */
  private spareFd = -1;
  /** The loop's clock (ms, `performance.now()`), read once per round with `tick()`. */
  now = 0;
  /** How often the loop must run `expire` over its connections (ms); -1 when no timeout is set. */
  readonly timeoutCheckMs: number;
  private readonly headerTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly blocking: boolean;
  private readonly headerTimeoutError: FrameError;
  private nextCheckMs = 0;

  constructor(options: ConnectionServerOptions) {
    this.responder = options.responder;
    this.work = options.work;
    this.counters = options.counters;
    this.values = options.counters.values;
    this.recvBuffer = new Uint8Array(options.recvBufferBytes ?? 65536);
    this.batchLimit = options.batchBytes ?? 65536;
    this.batch = new Uint8Array(this.batchLimit);
    this.spareFd = reserveFd();
    this.headerTimeoutMs = options.headerTimeoutMs ?? 0;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 0;
    this.blocking = options.blocking === true;
    this.timeoutCheckMs = timeoutCheckIntervalMs({
      headerTimeoutMs: this.headerTimeoutMs,
      idleTimeoutMs: this.idleTimeoutMs,
    });
    this.headerTimeoutError = {
      status: 408,
      reason: `request head not complete within ${this.headerTimeoutMs} ms`,
    };
  }

  /** Reads the clock into `now` (once per loop round: stamps and timeout checks use it); returns it. */
  tick(): number {
    this.now = performance.now();
    return this.now;
  }

  /** How long the loop may wait for readiness before a timeout check is due (ms; -1 = no limit). */
  waitMs(): number {
    return this.timeoutCheckMs < 0 ? -1 : Math.max(0, Math.ceil(this.nextCheckMs - this.now));
  }

  /** True when a timeout check is due at `now` (then the loop runs `expire` over its connections). */
  checkDue(): boolean {
    if (this.timeoutCheckMs < 0 || this.now < this.nextCheckMs) return false;
    this.nextCheckMs = this.now + this.timeoutCheckMs;
    return true;
  }

  /**
   * Applies the timeouts to `conn` at `now`. A request head overdue (and no answer pending): 408, close
   * once sent, counted as `headerTimeout` (and as a request answered, like every error answer). Nothing
   * moved either way for `idleTimeoutMs`: closed without a word, counted as `idleTimeout`. Returns what
   * the connection waits for now, `Want.closed` if it was closed.
   */
  expire(conn: Connection): Want {
    const now = this.now;
    const headerMs = this.headerTimeoutMs;
    if (headerMs > 0 && conn.headStartMs >= 0 && conn.out === null && now - conn.headStartMs >= headerMs) {
      this.values[Slot.headerTimeout]++;
      this.values[Slot.requests]++;
      conn.headStartMs = -1;
      drainInput(conn.fd, this.recvBuffer);
      const bytes = this.responder.error(this.headerTimeoutError);
      return this.sendAnswer(conn, bytes, 0, bytes.length, true);
    }
    if (this.idleTimeoutMs > 0 && now - conn.activeMs >= this.idleTimeoutMs) {
      this.values[Slot.idleTimeout]++;
      return this.close(conn);
    }
    return conn.out === null ? Want.read : Want.write;
  }

  /**
   * accept4 once. Returns the new fd, or -errno: -EAGAIN when nothing is pending. When the process is
   * out of fds, one pending connection is accepted on the spare fd's room and closed at once (counted
   * as refused; returns -EMFILE / -ENFILE, so the caller may go on refusing), so a level-triggered
   * loop does not spin on a listening socket it can never drain.
   */
  accept(listenFd: number, flags: number): number {
    const fd = sys.accept4(listenFd, flags);
    if (fd >= 0) return fd;
    if (fd === -c.EMFILE || fd === -c.ENFILE) return this.refusePending(listenFd, flags, fd);
    if (fd !== -c.EAGAIN && fd !== -c.EINTR) this.values[Slot.accept]++;
    return fd;
  }

  /**
   * Out of fds: refuses the connection at the head of the backlog. The kernel reports EMFILE before
   * it looks at the backlog, so the failed accept says nothing about a connection being there: only
   * the accept on the spare fd's room tells, and only a connection that accept returned is counted
   * (counting the EMFILE itself counted every retry of a drained backlog). Returns `limitErrno` after
   * a refusal, -EAGAIN when nothing was pending or no room could be made.
   */
  private refusePending(listenFd: number, flags: number, limitErrno: number): number {
    if (this.spareFd < 0) this.spareFd = reserveFd();
    if (this.spareFd < 0) return -c.EAGAIN;
    sys.close(this.spareFd);
    const victim = sys.accept4(listenFd, flags);
    if (victim >= 0) sys.close(victim);
    this.spareFd = reserveFd();
    if (victim >= 0) {
      this.values[Slot.refused]++;
      this.values[Slot.fdLimit]++;
      return limitErrno;
    }
    if (victim === -c.EAGAIN || victim === -c.EMFILE || victim === -c.ENFILE) return -c.EAGAIN;
    if (victim !== -c.EINTR) this.values[Slot.accept]++;
    return victim;
  }

  /** Starts serving an accepted fd. */
  open(fd: number): Connection {
    this.values[Slot.accepted]++;
    return new Connection(fd, this.stampNow());
  }

  /** Refuses an accepted fd the model cannot serve (e.g. fd >= FD_SETSIZE for select): close and count. */
  refuse(fd: number, reason: 'fdSetSize' | 'fdLimit'): void {
    sys.close(fd);
    this.values[Slot.refused]++;
    this.values[Slot[reason]]++;
  }

  /**
   * The connection is readable: recv, answer every complete request, send. Reads until a short read
   * (so edge-triggered loops drain the socket) but not while output is pending (backpressure).
   */
  onReadable(conn: Connection): Want {
    if (conn.out !== null) return Want.write;
    const buf = this.recvBuffer;
    for (;;) {
      const n = sys.recv(conn.fd, buf, 0, buf.length, 0);
      if (n > 0) {
        conn.framer.push(buf, 0, n);
        this.received(conn);
        const want = this.answerFramed(conn);
        if (want !== Want.read || n < buf.length) return want;
      } else if (n === 0) {
        return this.close(conn);
      } else if (n === -c.EAGAIN) {
        return Want.read;
      } else if (n !== -c.EINTR) {
        return this.failIo(conn, n);
      }
    }
  }

  /** The connection is writable: flush pending output, then answer what is already framed and read on. */
  onWritable(conn: Connection): Want {
    const out = conn.out;
    if (out === null) return Want.read;
    const want = this.sendAnswer(conn, out, conn.outStart, out.length, conn.closeAfterFlush);
    if (want !== Want.read) return want;
    const answered = this.answerFramed(conn);
    return answered === Want.read ? this.onReadable(conn) : answered;
  }

  /** Closes the connection; returns `Want.closed`. */
  close(conn: Connection): Want {
    if (conn.fd >= 0) sys.close(conn.fd);
    conn.fd = -1;
    conn.out = null;
    return Want.closed;
  }

  /** Releases the spare fd (when the loop ends). */
  dispose(): void {
    if (this.spareFd >= 0) sys.close(this.spareFd);
    this.spareFd = -1;
  }

  /**
   * Answers every complete request framed so far, batching pipelined answers into one send (through
   * `sendAnswer`). Completion-based models call it after feeding the framer bytes the kernel read.
   */
  protected answerFramed(conn: Connection): Want {
    const framer = conn.framer;
    const values = this.values;
    for (;;) {
      let single: Uint8Array | null = null;
      let used = 0;
      let closing = false;
      while (!closing && used < this.batchLimit) {
        const req = framer.next();
        if (req === undefined) break;
        if (this.work.kind !== 'none') performWork(this.work);
        const bytes = this.responder.respond(req);
        values[Slot.requests]++;
        closing = this.responder.closesAfter(req);
        if (single === null && used === 0) {
          single = bytes;
        } else {
          used = this.stageAnswer(bytes, single, used);
          single = null;
        }
      }
      if (!closing && framer.error !== undefined && framer.available === 0) {
        values[FRAME_ERROR_SLOT[framer.error.status]]++;
        values[Slot.requests]++;
        const bytes = this.responder.error(framer.error);
        if (single === null && used === 0) {
          single = bytes;
        } else {
          used = this.stageAnswer(bytes, single, used);
          single = null;
        }
        closing = true;
        drainInput(conn.fd, this.recvBuffer);
      }
      let want: Want;
      if (single !== null) want = this.sendAnswer(conn, single, 0, single.length, closing);
      else if (used > 0) want = this.sendAnswer(conn, this.batch, 0, used, closing);
      else return Want.read;
      if (want !== Want.read || framer.available === 0) return want;
    }
  }

  /** The time to stamp a connection with: `now`, or the clock itself in a blocking loop. */
  protected stampNow(): number {
    return this.blocking ? this.tick() : this.now;
  }

  /**
   * Bytes arrived on `conn` and went into its framer: stamps its activity, and the start of a request
   * head that began in them (a head already under way, e.g. the first one since the accept, keeps its
   * start). Once per recv, never per byte or per request.
   */
  protected received(conn: Connection): void {
    const now = this.stampNow();
    const framer = conn.framer;
    conn.activeMs = now;
    if (!framer.inHead) conn.headStartMs = -1;
    else if (conn.headStartMs < 0 || framer.framed !== conn.framedSeen) conn.headStartMs = now;
    conn.framedSeen = framer.framed;
  }

  /**
   * Appends `bytes` to `batch[0, used)` (first moving a held single answer into it); returns the new
   * length. Grows `batch` when needed, so send `this.batch` only after the last call.
   */
  protected stageAnswer(bytes: Uint8Array, single: Uint8Array | null, used: number): number {
    const needed = (single?.length ?? 0) + used + bytes.length;
    if (needed > this.batch.length) {
      const bigger = new Uint8Array(Math.max(needed, this.batch.length * 2));
      bigger.set(this.batch.subarray(0, used));
      this.batch = bigger;
    }
    if (single !== null) {
      this.batch.set(single, used);
      used += single.length;
    }
    this.batch.set(bytes, used);
    return used + bytes.length;
  }

  /**
   * Sends `bytes[start, end)` (EINTR retried, EAGAIN stops); keeps an owned copy of what the kernel
   * did not take in `conn.out` (returns `Want.write`); closes if `closing` and all went.
   */
  protected sendAnswer(conn: Connection, bytes: Uint8Array, start: number, end: number, closing: boolean): Want {
    let offset = start;
    while (offset < end) {
      const n = sys.send(conn.fd, bytes, offset, end - offset, 0);
      if (n > 0) offset += n;
      else if (n === -c.EAGAIN) break;
      else if (n !== -c.EINTR) return this.failIo(conn, n);
    }
    if (offset > start) conn.activeMs = this.stampNow();
    if (offset === end) {
      conn.out = null;
      conn.closeAfterFlush = false;
      return closing ? this.close(conn) : Want.read;
    }
    if (bytes !== conn.out) {
      // Shared buffers (the batch, precomputed answers) are reused: keep a copy of the rest.
      conn.out = bytes.slice(offset, end);
      conn.outStart = 0;
    } else {
      conn.outStart = offset;
    }
    conn.closeAfterFlush = closing;
    return Want.write;
  }

  /**
   * recv until the socket is drained (edge-triggered) and frame what came, for models that read a
   * connection only while its requests are home (`DeferredConnection`). Stops once `MAX_FRAMED_PER_READ`
   * requests wait — the rest stays in the socket and `unread` says so — and notes the peer's close.
   * False when a recv failed: the connection is closed and counted.
   */
  protected receiveDeferred(conn: DeferredConnection): boolean {
    const buf = this.recvBuffer;
    const framer = conn.framer;
    conn.unread = false;
    for (;;) {
      const n = sys.recv(conn.fd, buf, 0, buf.length, 0);
      if (n > 0) {
        framer.push(buf, 0, n);
        this.received(conn);
        if (framer.error !== undefined) return true;
        if (framer.available >= MAX_FRAMED_PER_READ) {
          conn.unread = true; // more may wait in the socket; read it once these are answered
          return true;
        }
        if (n < buf.length) return true;
      } else if (n === 0) {
        conn.peerClosed = true;
        return true;
      } else if (n === -c.EAGAIN) {
        return true;
      } else if (n !== -c.EINTR) {
        this.failIo(conn, n);
        return false;
      }
    }
  }

  /** Counts a recv/send errno by class (reset, pipe, io) and closes; returns `Want.closed`. */
  protected failIo(conn: Connection, negErrno: number): Want {
    const slot = negErrno === -c.ECONNRESET ? Slot.reset : negErrno === -c.EPIPE ? Slot.pipe : Slot.io;
    this.values[slot]++;
    return this.close(conn);
  }
}

/** An fd held in reserve for the fd-limit refusal dance; -1 if none could be had. */
function reserveFd(): number {
  try {
    return sys.eventfd(0, c.EFD_CLOEXEC);
  } catch {
    return -1;
  }
}

/**
 * Reads and drops what the client already sent before an error answer's close, so that close(2) does
 * not turn into a reset that destroys the answer in flight. Bounded (4 reads of `buf`); never blocks.
 */
export function drainInput(fd: number, buf: Uint8Array): void {
  for (let i = 0; i < 4; i++) {
    if (sys.recv(fd, buf, 0, buf.length, c.MSG_DONTWAIT) < buf.length) return;
  }
}
