/**
 * The serve steps on io_uring. The kernel accepts, receives and sends; this turns each completion
 * into ConnectionServer steps: received bytes (in a provided buffer, or the connection's own) go to
 * the framer, answers leave as SEND SQEs that point at the answer bytes themselves, one send in
 * flight per connection (requests framed meanwhile are answered when it completes, like epoll's
 * EPOLLOUT). A connection's fd is closed only when none of its requests is in flight: a request
 * holds the socket open, and the fd number must not be reused while a completion may still name it.
 */
import { type Connection, ConnectionServer, type ConnectionServerOptions, Slot, Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';
import type { UringSetup } from './ring-setup.js';
import { Op, userData, UringCounter as X } from './uring-ops.js';

const { constants: c } = sys;

// Connection.interest bits: what is in flight for the connection, and where it is going.
const RECV = 1;
const SEND = 2;
const CLOSING = 4;
/** The peer closed its side: answer what was framed, then close. */
const PEER_DONE = 8;
/** The multishot receive is being cancelled for backpressure; re-armed once the answers went out. */
const PAUSING = 16;

/** Framed but unanswered requests beyond which a multishot receive is cancelled (a client that only pipelines). */
const MAX_QUEUED_REQUESTS = 256;
/** A connection's own receive buffer, when there are no provided buffers. */
const OWN_BUFFER_BYTES = 4096;

export class UringServer extends ConnectionServer {
  /** Connections by fd. */
  readonly conns: (Connection | undefined)[] = [];
  /** Requests whose final completion has not arrived yet. */
  inFlight = 0;
  /** Set by the loop at stop: nothing is re-armed from then on. */
  stopping = false;
  private readonly ring: sys.IoUring;
  private readonly buffers: sys.ProvidedBuffers | null;
  private readonly listenFd: number;
  private readonly extra: Float64Array;
  private readonly counterValues: Float64Array;
  private multishotAccept: boolean;
  private multishotRecv: boolean;
  private acceptArmed = false;
  /** Out of fds with nothing pending: a poll waits for the backlog instead of the accept. */
  private listenPollArmed = false;
  /** Receive buffers by fd without provided buffers, kept for the next connection on the same fd. */
  private readonly ownBuffers: (Uint8Array | undefined)[] = [];
  private readonly ownAddresses: number[] = [];
  /** Addresses of answer bytes (a handful of precomputed buffers), so a send costs no addon call. */
  private readonly addresses = new WeakMap<Uint8Array, number>();

  constructor(options: ConnectionServerOptions, setup: UringSetup, listenFd: number, extra: Float64Array) {
    super(options);
    this.ring = setup.ring;
    this.buffers = setup.buffers;
    this.multishotAccept = setup.multishotAccept;
    this.multishotRecv = setup.multishotRecv;
    this.listenFd = listenFd;
    this.extra = extra;
    this.counterValues = options.counters.values;
  }

  /** Arms the accept on the listening socket (multishot: once for many connections). */
  armAccept(): void {
    const multishot = this.multishotAccept ? c.IORING_ACCEPT_MULTISHOT : 0;
    this.ring.prep(c.IORING_OP_ACCEPT, this.listenFd, 0, 0, c.SOCK_CLOEXEC, multishot, Op.accept);
    this.acceptArmed = true;
    this.inFlight++;
  }

  /** Cancels the request with user data `target` (its own completion says -ECANCELED). */
  cancel(target: number): void {
    this.ring.prep(c.IORING_OP_ASYNC_CANCEL, -1, target, 0, 0, 0, Op.cancel);
    this.inFlight++;
  }

  /** Cancels the accept, or the poll standing in for it (at stop). */
  cancelAccept(): void {
    if (this.acceptArmed) this.cancel(Op.accept);
    if (this.listenPollArmed) this.cancel(Op.listenPoll);
  }

  /** Handles one completion. */
  complete(data: number, res: number, flags: number): void {
    const more = (flags & c.IORING_CQE_F_MORE) !== 0;
    if (!more) this.inFlight--;
    const op = data & 7;
    if (op === Op.recv) this.onRecv(this.conns[data >>> 3]!, res, flags, more);
    else if (op === Op.send) this.onSend(this.conns[data >>> 3]!, res);
    else if (op === Op.accept) this.onAccept(res, more);
    else if (op === Op.listenPoll) this.onListenPoll();
    // Op.wake: the loop reads its stop flag every round. Op.cancel: the target completes on its own.
  }

  /** Applies the header and idle timeouts to every connection not already closing. */
  expireAll(): void {
    for (const conn of this.conns) {
      if (conn !== undefined && (conn.interest & CLOSING) === 0) this.expire(conn);
    }
  }

  override close(conn: Connection): Want {
    if (conn.fd < 0) return Want.closed;
    if ((conn.interest & CLOSING) === 0) {
      conn.interest |= CLOSING;
      if ((conn.interest & RECV) !== 0) this.cancel(userData(conn.fd, Op.recv));
      if ((conn.interest & SEND) !== 0) this.cancel(userData(conn.fd, Op.send));
    }
    this.settle(conn);
    return Want.closed;
  }

  /**
   * Queues the answer as a SEND. The kernel reads the bytes after this returns, whenever the socket
   * has room, so they must stay unchanged until the completion: precomputed answers do; the shared
   * batch of pipelined answers is reused, so it is copied (one allocation per pipelined batch).
   */
  protected override sendAnswer(
    conn: Connection,
    bytes: Uint8Array,
    start: number,
    end: number,
    closing: boolean,
  ): Want {
    if ((conn.interest & CLOSING) !== 0) return Want.closed;
    const owned = bytes === this.batch || end !== bytes.length;
    conn.out = owned ? bytes.slice(start, end) : bytes;
    conn.outStart = owned ? 0 : start;
    conn.closeAfterFlush = closing;
    this.submitSend(conn);
    return Want.write;
  }

  private submitSend(conn: Connection): void {
    const out = conn.out!;
    let base = this.addresses.get(out);
    if (base === undefined) {
      base = sys.address(out);
      this.addresses.set(out, base);
    }
    const length = out.length - conn.outStart;
    this.ring.prep(
      c.IORING_OP_SEND,
      conn.fd,
      base + conn.outStart,
      length,
      c.MSG_NOSIGNAL,
      0,
      userData(conn.fd, Op.send),
    );
    conn.interest |= SEND;
    this.inFlight++;
  }

  private armRecv(conn: Connection): void {
    if (this.stopping) return;
    const fd = conn.fd;
    const data = userData(fd, Op.recv);
    if (this.buffers !== null) {
      const multishot = this.multishotRecv ? c.IORING_RECV_MULTISHOT : 0;
      this.ring.prep(c.IORING_OP_RECV, fd, 0, 0, 0, multishot, data, c.IOSQE_BUFFER_SELECT, this.buffers.group);
    } else {
      if (this.ownBuffers[fd] === undefined) {
        this.ownBuffers[fd] = new Uint8Array(OWN_BUFFER_BYTES);
        this.ownAddresses[fd] = sys.address(this.ownBuffers[fd]);
      }
      this.ring.prep(c.IORING_OP_RECV, fd, this.ownAddresses[fd]!, OWN_BUFFER_BYTES, 0, 0, data);
    }
    conn.interest |= RECV;
    this.inFlight++;
  }

  private onAccept(res: number, more: boolean): void {
    if (!more) this.acceptArmed = false;
    if (res >= 0) {
      this.extra[this.multishotAccept ? X.multishotAccepts : X.singleShotAccepts]++;
      if (this.stopping) sys.close(res);
      else this.start(res);
    } else if (res === -c.EMFILE || res === -c.ENFILE) {
      // Out of fds: refuse one pending connection on the spare fd's room (ConnectionServer.accept).
      // When none is pending, an accept re-armed now would fail again at once (the kernel checks the
      // fd limit first): wait for the backlog with a poll instead of spinning.
      const fd = this.accept(this.listenFd, c.SOCK_CLOEXEC);
      if (fd >= 0) this.start(fd);
      else if (fd === -c.EAGAIN && !this.stopping) {
        this.ring.prep(c.IORING_OP_POLL_ADD, this.listenFd, 0, 0, c.POLLIN, 0, Op.listenPoll);
        this.listenPollArmed = true;
        this.inFlight++;
        return;
      }
    } else if (res === -c.EINVAL && this.multishotAccept) {
      this.multishotAccept = false; // before Linux 5.19
      this.extra[X.fallbacks]++;
    } else if (res !== -c.ECANCELED && res !== -c.EINTR && res !== -c.EAGAIN) {
      this.counterValues[Slot.accept]++;
    }
    if (!this.acceptArmed && !this.stopping) this.armAccept();
  }

  private onListenPoll(): void {
    this.listenPollArmed = false;
    if (!this.stopping) this.armAccept();
  }

  private start(fd: number): void {
    const conn = this.open(fd);
    this.conns[fd] = conn;
    this.armRecv(conn);
  }

  private onRecv(conn: Connection, res: number, flags: number, more: boolean): void {
    if (!more) conn.interest &= ~(RECV | PAUSING);
    if (res > 0) {
      this.extra[this.multishotRecv ? X.multishotRecvs : X.singleShotRecvs]++;
      const closing = (conn.interest & CLOSING) !== 0;
      if ((flags & c.IORING_CQE_F_BUFFER) !== 0) {
        const buffers = this.buffers!;
        const bid = flags >>> c.IORING_CQE_BUFFER_SHIFT;
        if (!closing) conn.framer.push(buffers.bytes, buffers.offset(bid), res);
        buffers.recycle(bid);
      } else if (!closing) {
        conn.framer.push(this.ownBuffers[conn.fd]!, 0, res);
      }
      if (!closing) this.receivedBytes(conn);
    } else if (res === 0) {
      conn.interest |= PEER_DONE;
      if ((conn.interest & SEND) === 0) this.close(conn);
    } else if (res === -c.ENOBUFS) {
      // Every provided buffer was in use; they come back as this round's completions are handled.
      this.extra[X.noBuffers]++;
    } else if (res === -c.EINVAL && this.multishotRecv) {
      this.multishotRecv = false; // before Linux 6.0
      this.extra[X.fallbacks]++;
    } else if (res !== -c.ECANCELED && (conn.interest & CLOSING) === 0) {
      this.failIo(conn, res); // a reset after we chose to close is not an error of the connection
    }
    if ((conn.interest & (RECV | SEND | CLOSING | PEER_DONE)) === 0) this.armRecv(conn);
    this.settle(conn);
  }

  /** Bytes went into the framer: answer unless a send is in flight (then its completion will). */
  private receivedBytes(conn: Connection): void {
    this.received(conn);
    if ((conn.interest & SEND) === 0) this.answerFramed(conn);
    else if ((conn.interest & (RECV | PAUSING)) === RECV && conn.framer.available >= MAX_QUEUED_REQUESTS) {
      conn.interest |= PAUSING;
      this.extra[X.recvPauses]++;
      this.cancel(userData(conn.fd, Op.recv));
    }
  }

  private onSend(conn: Connection, res: number): void {
    conn.interest &= ~SEND;
    if ((conn.interest & CLOSING) !== 0) {
      conn.out = null;
    } else if (res > 0) {
      conn.activeMs = this.now;
      conn.outStart += res;
      if (conn.outStart < conn.out!.length) {
        // A short send (the socket buffer filled): the rest goes in another SEND.
        this.extra[X.partialSends]++;
        this.submitSend(conn);
        return;
      }
      conn.out = null;
      if (conn.closeAfterFlush) this.close(conn);
      else if (this.answerFramed(conn) === Want.read) {
        if ((conn.interest & PEER_DONE) !== 0) this.close(conn);
        else if ((conn.interest & RECV) === 0) this.armRecv(conn);
      }
    } else {
      conn.out = null;
      this.failIo(conn, res);
    }
    this.settle(conn);
  }

  /** Closes a closing connection's fd once nothing of it is in flight. */
  private settle(conn: Connection): void {
    if ((conn.interest & (CLOSING | RECV | SEND)) !== CLOSING || conn.fd < 0) return;
    sys.close(conn.fd);
    this.conns[conn.fd] = undefined;
    conn.fd = -1;
    conn.out = null;
  }
}
