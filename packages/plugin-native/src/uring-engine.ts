/**
 * The native generator's io_uring engine (`engine=io_uring`): one ring per thread and no readiness
 * syscalls. Connects and sends are SQEs (CONNECT from the address packed once, SEND straight from
 * the prebuilt request bytes), responses arrive through one multishot RECV per connection into a
 * ring of provided buffers and are framed in place, closes are SQEs too. A round is one
 * io_uring_enter that submits everything queued since the last one and waits, bounded in
 * microseconds by the next timer (the open model's next due send, a sweep, the deadline); then every
 * completion is handled straight from the mapped CQ. A keep-alive request thus costs a share of one
 * io_uring_enter; a reconnect adds one socket(2). Everything that is not I/O is `LoadEngine`'s.
 *
 * A connection's requests carry its slot and a generation in their user data: a socket closed by
 * the loop (server close, failure, timeout) gets its requests cancelled and its fd closed by SQEs
 * and the slot reconnects at once on a new fd, so completions of the old socket may still arrive;
 * the generation tells them apart, and they are dropped (their provided buffer recycled).
 */
import type { StopSignal } from '@iobench/core/thread';
import { nowUs, type ProgressSlot } from '@iobench/load-kit/thread';
import * as sys from '@iobench/syscalls';
import { type Connection, OPEN } from './connection.js';
import { LoadEngine } from './load-engine.js';
import type { NativeThreadSpec } from './thread-spec.js';
import { openClientRing, type UringCounters } from './uring-setup.js';

const { constants: c } = sys;

/** What a request is, in the low 3 bits of its user data (slot above, generation in the top byte). */
const Op = { connect: 0, recv: 1, send: 2, stop: 3, close: 4, cancel: 5 } as const;
/** Connection.armed bits: the socket's requests in the kernel. */
const CONNECT = 1;
const RECV = 2;
const SEND = 4;
/** Slots per thread the user data can name (21 bits). */
export const MAX_URING_CONNECTIONS = 1 << 21;

export class UringEngine extends LoadEngine {
  private readonly ring: sys.IoUring;
  private readonly buffers: sys.ProvidedBuffers;
  /** Kernel addresses of the request bytes and the packed target address (kept alive as fields). */
  private readonly requestsAddress: number;
  private readonly addrAddress: number;
  /** Close and cancel succeed silently where the kernel can skip their completions (5.17). */
  private readonly quietFlags: number;
  /** False once the kernel refused a multishot recv (before 6.0): single-shot, re-armed per completion. */
  private multishotRecv = true;
  /** What the engine did beyond the common counts (reported in the result's `extra`). */
  readonly counters: UringCounters = { enters: 0, completions: 0, noBuffers: 0, recvFallbacks: 0, partialSends: 0 };

  constructor(spec: NativeThreadSpec, stop: StopSignal, progress?: ProgressSlot) {
    super(spec, stop, progress);
    if (spec.connections > MAX_URING_CONNECTIONS) {
      throw new RangeError(`the io_uring engine runs at most ${MAX_URING_CONNECTIONS} connections per thread`);
    }
    const { ring, buffers } = openClientRing();
    this.ring = ring;
    this.buffers = buffers;
    this.requestsAddress = sys.address(this.cycle.bytes);
    this.addrAddress = sys.address(this.addr);
    this.quietFlags = (ring.features & c.IORING_FEAT_CQE_SKIP) !== 0 ? c.IOSQE_CQE_SKIP_SUCCESS : 0;
    // Completes once the stop eventfd is written; the loop then reads the stop flag.
    ring.prep(c.IORING_OP_POLL_ADD, stop.wakeFd, 0, 0, c.POLLIN, 0, Op.stop);
  }

  /**
   * Closes every socket and tears the ring down: the kernel cancels what is still in flight and
   * drops the sockets those requests held.
   */
  close(): void {
    for (const conn of this.connections) if (conn.fd >= 0) sys.close(conn.fd);
    this.buffers.release();
    this.ring.close();
  }

  /** One io_uring_enter: submit, and wait for a completion until `wakeUs`; then every completion. */
  protected wait(now: number, wakeUs: number): void {
    const ring = this.ring;
    const timeoutUs = wakeUs - now;
    // Nothing to wait for (a due send, a timer): submit and reap without sleeping.
    const rc = timeoutUs >= 1 ? ring.submitAndWaitUs(1, timeoutUs) : ring.submitAndWait(0);
    // The completions handled below were all posted by this reading (with DEFER_TASKRUN, inside
    // the enter): it is when their responses were received (see LoadEngine.frame).
    const n = ring.ready();
    const receivedUs = nowUs();
    this.idleUs += receivedUs - now;
    this.counters.enters++;
    // ETIME: the timer ran out; EBUSY/EAGAIN: the CQ must be reaped first, the SQEs stay queued.
    if (rc < 0 && rc !== -c.EINTR && rc !== -c.ETIME && rc !== -c.EBUSY && rc !== -c.EAGAIN) {
      throw new Error(`io_uring_enter failed with errno ${-rc}`);
    }
    for (let i = 0; i < n; i++) this.complete(ring.userData(i), ring.res(i), ring.cqeFlags(i), receivedUs);
    ring.advance(n);
    this.counters.completions += n;
    // Buffers framed this round go back to the kernel in one store, before the next enter.
    this.buffers.publish();
  }

  private complete(data: number, res: number, flags: number, receivedUs: number): void {
    const op = data & 7;
    // The stop poll: the loop reads the stop flag every round. Close and cancel: nothing to do.
    if (op >= Op.stop) return;
    const conn = this.connections[(data >>> 3) & (MAX_URING_CONNECTIONS - 1)]!;
    const current = data >>> 24 === (conn.generation & 0xff);
    if (op === Op.recv) this.onRecv(conn, current, res, flags, receivedUs);
    else if (!current) return;
    else if (op === Op.send) this.onSend(conn, res);
    else this.onConnect(conn, res);
  }

  private onConnect(conn: Connection, res: number): void {
    conn.armed &= ~CONNECT;
    if (res < 0) {
      this.connectFailed(conn, -res, nowUs());
      return;
    }
    // Armed before the first send, in the same round: bytes the server sent before any request of
    // ours then arrive with nothing answerable, as they should (see `answerable`).
    this.armRecv(conn);
    this.connected(conn, nowUs());
  }

  private onRecv(conn: Connection, current: boolean, res: number, flags: number, receivedUs: number): void {
    const hasBuffer = (flags & c.IORING_CQE_F_BUFFER) !== 0;
    const bid = hasBuffer ? flags >>> c.IORING_CQE_BUFFER_SHIFT : -1;
    if (!current) {
      if (hasBuffer) this.buffers.recycle(bid);
      return;
    }
    if ((flags & c.IORING_CQE_F_MORE) === 0) conn.armed &= ~RECV;
    if (res > 0) {
      const generation = conn.generation;
      const start = this.buffers.offset(bid);
      const open = this.frame(conn, this.buffers.bytes, start, start + res, this.answerable(conn), receivedUs);
      this.buffers.recycle(bid);
      // A single-shot receive (or a multishot one the kernel ended) is re-armed for the same socket.
      if (open && conn.generation === generation && (conn.armed & RECV) === 0) this.armRecv(conn);
    } else if (res === 0) {
      if (hasBuffer) this.buffers.recycle(bid);
      this.endOfStream(conn, receivedUs);
    } else if (res === -c.ENOBUFS) {
      // Every provided buffer was in use; this round's completions give them back before the next enter.
      this.counters.noBuffers++;
      this.armRecv(conn);
    } else if (res === -c.EINVAL && this.multishotRecv) {
      this.multishotRecv = false; // before Linux 6.0
      this.counters.recvFallbacks++;
      this.armRecv(conn);
    } else if (res !== -c.ECANCELED) {
      this.readFailed(conn, -res);
    }
  }

  private onSend(conn: Connection, res: number): void {
    conn.armed &= ~SEND;
    if (res < 0) {
      this.writeFailed(conn, -res);
      return;
    }
    if (res < conn.sendingBytes) this.counters.partialSends++;
    this.sent(conn, res);
    // The rest of a short send, or requests queued while this one was in the kernel.
    if (conn.unsentBytes > 0 && conn.state === OPEN) this.submitSend(conn);
  }

  private armRecv(conn: Connection): void {
    const multishot = this.multishotRecv ? c.IORING_RECV_MULTISHOT : 0;
    this.ring.prep(
      c.IORING_OP_RECV,
      conn.fd,
      0,
      0,
      0,
      multishot,
      this.userData(conn, Op.recv),
      c.IOSQE_BUFFER_SELECT,
      this.buffers.group,
    );
    conn.armed |= RECV;
  }

  private submitSend(conn: Connection): void {
    const offset = this.unsentOffset(conn);
    conn.sendingBytes = conn.unsentBytes;
    this.ring.prep(
      c.IORING_OP_SEND,
      conn.fd,
      this.requestsAddress + offset,
      conn.unsentBytes,
      c.MSG_NOSIGNAL,
      0,
      this.userData(conn, Op.send),
    );
    conn.armed |= SEND;
  }

  private userData(conn: Connection, op: number): number {
    return (((conn.generation & 0xff) << 24) | (conn.index << 3) | op) >>> 0;
  }

  protected connect(conn: Connection, now: number): void {
    if (this.stopped) return;
    // Blocking: io_uring waits for the handshake itself (a non-blocking socket's CONNECT may end
    // with EINPROGRESS); receives and sends never block the loop, the kernel polls for them.
    const fd = this.openSocket(conn, now, c.SOCK_CLOEXEC);
    if (fd < 0) return;
    this.connecting(conn, fd, now);
    this.ring.prep(
      c.IORING_OP_CONNECT,
      fd,
      this.addrAddress,
      0,
      0,
      0,
      this.userData(conn, Op.connect),
      0,
      0,
      this.addr.length,
    );
    conn.armed |= CONNECT;
  }

  /** One SEND in the kernel per connection: requests queued meanwhile go when it completes. */
  protected flush(conn: Connection): void {
    if ((conn.armed & SEND) === 0 && conn.unsentBytes > 0) this.submitSend(conn);
  }

  /**
   * Cancels the socket's requests and closes its fd, both as SQEs of the next round (a request
   * holds the socket: without the cancel the server would never see it close).
   */
  protected closeSocket(conn: Connection): void {
    const armed = conn.armed;
    if ((armed & CONNECT) !== 0) this.cancel(this.userData(conn, Op.connect));
    if ((armed & RECV) !== 0) this.cancel(this.userData(conn, Op.recv));
    if ((armed & SEND) !== 0) this.cancel(this.userData(conn, Op.send));
    this.ring.prep(c.IORING_OP_CLOSE, conn.fd, 0, 0, 0, 0, Op.close, this.quietFlags);
    conn.generation++;
    conn.reset();
  }

  private cancel(target: number): void {
    this.ring.prep(c.IORING_OP_ASYNC_CANCEL, -1, target, 0, 0, 0, Op.cancel, this.quietFlags);
  }
}
