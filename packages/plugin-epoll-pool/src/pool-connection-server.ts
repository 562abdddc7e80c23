/**
 * The serve steps of the `epoll-pool` server, as a server-kit `ConnectionServer` so that the epoll
 * server's own `EpollLoop` drives it unchanged. Where `ConnectionServer` answers a request as soon as
 * it is framed, doing the handler work inline on the loop thread, these steps split that in two:
 * `onReadable` only receives and frames (and queues the connection in `ready`), the dispatcher hands
 * `ready` to the pool, and `answer` sends the precomputed responses once the pool did the work.
 *
 * The loop registers connections edge-triggered, so not reading a connection costs nothing: while its
 * batch is in the pool or its output is stuck, a readable edge only sets `unread`.
 */
import { type Connection, ConnectionServer, drainInput, FRAME_ERROR_SLOT, Slot, Want } from '@iobench/server-kit';
import { PoolConnection } from './pool-connection.js';

export class PoolConnectionServer extends ConnectionServer {
  /** Connections with framed requests for the next dispatch, in the order they became ready. */
  readonly ready: PoolConnection[] = [];

  /** Starts serving an accepted fd as a `PoolConnection`. */
  override open(fd: number): PoolConnection {
    this.counters.values[Slot.accepted]++;
    return new PoolConnection(fd, this.now);
  }

  /** Timeouts, except for a connection whose requests wait for or are in the pool: it is not idle. */
  override expire(conn: Connection): Want {
    const pc = conn as PoolConnection;
    if (pc.busy || pc.queued) return pc.out !== null ? Want.write : Want.read;
    return super.expire(conn);
  }

  /** Readable edge: receive and frame, unless the connection's previous batch is not answered yet. */
  override onReadable(conn: Connection): Want {
    const pc = conn as PoolConnection;
    if (pc.busy || pc.out !== null) {
      pc.unread = true;
      return pc.out !== null ? Want.write : Want.read;
    }
    return this.receive(pc);
  }

  /** Writable edge: flush what the kernel did not take, then read what waited behind it. */
  override onWritable(conn: Connection): Want {
    const pc = conn as PoolConnection;
    const out = pc.out;
    if (out === null) return Want.read;
    const want = this.sendAnswer(pc, out, pc.outStart, out.length, pc.closeAfterFlush);
    return want === Want.read ? this.next(pc) : want;
  }

  /** Moves the connection's framed requests into `inFlight` (stopping after one that closes); returns how many. */
  take(conn: PoolConnection): number {
    const reqs = conn.inFlight;
    for (;;) {
      const req = conn.framer.next();
      if (req === undefined) break;
      reqs.push(req);
      if (this.responder.closesAfter(req)) break;
    }
    conn.busy = reqs.length > 0;
    return reqs.length;
  }

  /**
   * The pool did the handler work for `conn.inFlight`: send their answers (and the answer to a framing
   * error that followed them) in one send, then read on if an edge came meanwhile.
   */
  answer(conn: PoolConnection): Want {
    const { responder } = this;
    const values = this.counters.values;
    const reqs = conn.inFlight;
    conn.busy = false;
    let closing = false;
    let first: Uint8Array | null = null;
    let used = 0;
    for (let i = 0; i < reqs.length; i++) {
      const bytes = responder.respond(reqs[i]!);
      values[Slot.requests]++;
      closing ||= responder.closesAfter(reqs[i]!);
      if (i === 0) first = bytes;
      else used = this.stageAnswer(bytes, i === 1 ? first : null, used);
    }
    const answered = reqs.length;
    reqs.length = 0;
    const error = conn.framer.error;
    if (!closing && error !== undefined && conn.framer.available === 0) {
      values[FRAME_ERROR_SLOT[error.status]]++;
      values[Slot.requests]++;
      const bytes = responder.error(error);
      if (answered === 0) first = bytes;
      else used = this.stageAnswer(bytes, answered === 1 ? first : null, used);
      closing = true;
      drainInput(conn.fd, this.recvBuffer);
    }
    let want: Want = Want.read;
    if (used > 0) want = this.sendAnswer(conn, this.batch, 0, used, closing);
    else if (first !== null) want = this.sendAnswer(conn, first, 0, first.length, closing);
    return want === Want.read ? this.next(conn) : want;
  }

  /** recv until the socket is drained (edge-triggered) and frame; queue the connection if requests came. */
  private receive(conn: PoolConnection): Want {
    if (!this.receiveDeferred(conn)) return Want.closed;
    const framer = conn.framer;
    if (framer.available > 0) {
      this.enqueue(conn);
      return Want.read;
    }
    // A bad request with nothing before it needs no handler work: answer it now.
    if (framer.error !== undefined) return this.answer(conn);
    return conn.peerClosed ? this.close(conn) : Want.read;
  }

  /** After an answer or a flush: queue what is framed, read what arrived meanwhile, or close. */
  private next(conn: PoolConnection): Want {
    if (conn.framer.available > 0) {
      this.enqueue(conn);
      return Want.read;
    }
    if (conn.unread) return this.receive(conn);
    return conn.peerClosed ? this.close(conn) : Want.read;
  }

  private enqueue(conn: PoolConnection): void {
    if (conn.queued) return;
    conn.queued = true;
    this.ready.push(conn);
  }
}
