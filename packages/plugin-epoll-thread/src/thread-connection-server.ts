/**
 * The serve steps of the `epoll-thread` server, as a server-kit `ConnectionServer`. Where the base
 * class answers a request as soon as it is framed, these split it: the loop receives and frames,
 * picks the precomputed answer and hands it to a new thread (`ThreadLauncher`), which does the
 * handler work and sends; `completed` takes the thread's record and moves the connection on to its
 * next request. A bad request needs no handler work and is answered on the loop, as the pool does.
 *
 * The loop registers connections edge-triggered, so a connection whose request is with a thread is
 * simply not read: a readable edge meanwhile only sets `unread`.
 *
 * Timeouts: the base class's, stamped by each recv and by each thread's record, except that a
 * connection with a thread running or waiting for one is exempt (see `expire`).
 */
import {
  ConnectionServer,
  type ConnectionServerOptions,
  drainInput,
  FRAME_ERROR_SLOT,
  Slot,
  Want,
} from '@iobench/server-kit';
import { ThreadConnection } from './thread-connection.js';
import { ThreadLauncher, type ThreadLauncherOptions } from './thread-launcher.js';

/** Options of a `ThreadConnectionServer`: the base class's and where threads leave their records. */
export type ThreadConnectionServerOptions = ConnectionServerOptions &
  Pick<ThreadLauncherOptions, 'maxThreads' | 'doneFd' | 'cancelFd'>;

export class ThreadConnectionServer extends ConnectionServer {
  readonly threads: ThreadLauncher;
  private stopping = false;

  constructor(options: ThreadConnectionServerOptions) {
    // The base class's own handler work stays 'none': the threads do the work.
    super({ ...options, work: { kind: 'none' } });
    this.threads = new ThreadLauncher({
      ...options,
      onSpawnFailed: (conn) => {
        conn.answer = null;
        this.close(conn);
      },
    });
  }

  /** Starts serving an accepted fd as a `ThreadConnection`. */
  override open(fd: number): ThreadConnection {
    this.counters.values[Slot.accepted]++;
    return new ThreadConnection(fd, this.now);
  }

  /**
   * Timeouts, except for a connection whose request a thread has or waits for: its fd is the thread's
   * until the record is read (a 408 or a close now could race the thread's send, or hit a reused fd),
   * and the wait is the server's, not the client's.
   */
  override expire(conn: ThreadConnection): Want {
    if (conn.running || conn.answer !== null) return conn.out !== null ? Want.write : Want.read;
    return super.expire(conn);
  }

  /** Readable edge: receive and frame, unless a thread has the connection or output is pending. */
  override onReadable(conn: ThreadConnection): Want {
    if (conn.answer !== null || conn.out !== null) {
      conn.unread = true;
      return conn.out !== null ? Want.write : Want.read;
    }
    return this.receive(conn);
  }

  /** Writable edge: flush what the kernel did not take from a thread's send, then go on. */
  override onWritable(conn: ThreadConnection): Want {
    const out = conn.out;
    if (out === null) return Want.read;
    const want = this.sendAnswer(conn, out, conn.outStart, out.length, conn.closeAfterFlush);
    return want === Want.read ? this.next(conn) : want;
  }

  /** The record of `conn`'s thread: it sent `result` bytes of the answer, or failed with -errno. */
  completed(conn: ThreadConnection, result: number): Want {
    conn.running = false;
    this.threads.ended();
    const answer = conn.answer!;
    conn.answer = null;
    if (this.stopping || conn.fd < 0) return Want.read;
    this.counters.values[Slot.requests]++;
    // The thread's send moved bytes: the idle clock restarts at its record (the round's clock, one store).
    conn.activeMs = this.now;
    if (result < 0) return this.failIo(conn, result);
    // A short send (the socket buffer filled): the loop sends the rest, now or on writable edges.
    const want =
      result < answer.length
        ? this.sendAnswer(conn, answer, result, answer.length, conn.closing)
        : conn.closing
          ? this.close(conn)
          : Want.read;
    return want === Want.read ? this.next(conn) : want;
  }

  /** Stop: no new threads; records read from now on only release their connections. */
  stop(): void {
    this.stopping = true;
    this.threads.cancel();
  }

  /** recv until the socket is drained (edge-triggered) and frame; then hand the first request on. */
  private receive(conn: ThreadConnection): Want {
    if (!this.receiveDeferred(conn)) return Want.closed;
    return this.next(conn);
  }

  /** With no thread on it and nothing pending: start the next request's thread, read on, or close. */
  private next(conn: ThreadConnection): Want {
    const framer = conn.framer;
    const req = framer.next();
    if (req !== undefined) {
      conn.answer = this.responder.respond(req);
      conn.closing = this.responder.closesAfter(req);
      const rc = this.threads.submit(conn);
      if (rc === 0) return Want.read;
      conn.answer = null;
      return this.close(conn);
    }
    if (framer.error !== undefined) {
      const values = this.counters.values;
      values[FRAME_ERROR_SLOT[framer.error.status]]++;
      values[Slot.requests]++;
      const bytes = this.responder.error(framer.error);
      drainInput(conn.fd, this.recvBuffer);
      return this.sendAnswer(conn, bytes, 0, bytes.length, true);
    }
    if (conn.unread) return this.receive(conn);
    return conn.peerClosed ? this.close(conn) : Want.read;
  }
}
