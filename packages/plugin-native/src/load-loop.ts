/**
 * The native generator's hot loop: one thread, one epoll instance, `spec.connections` non-blocking
 * sockets, each registered once, edge-triggered, for in and out — so no epoll_ctl per request. A
 * request is one send(2) of prebuilt bytes; a response is framed in place from one recv(2) buffer.
 * Closed model: a connection sends its next request as soon as its response completes; open model:
 * `SendSchedule` hands due requests to free pipeline slots. Servers that close after each response
 * get a reconnect at once (the original experiment's workload). Stops at the duration, the request limit or a stop
 * request, and always returns what it measured.
 * Over 300 lines on purpose: one hot loop whose handlers share the connection table, the epoll
 * instance and the time rings; what it counts lives in tallies.ts, the open model's clock in
 * load-kit's SendSchedule, response framing in response-framer.ts.
 */
import { encodeHistogram } from '@iobench/core/histogram';
import { type StopSignal, stopRequested } from '@iobench/core/thread';
import { nowUs, type ProgressSlot, recordLatency, SendSchedule } from '@iobench/load-kit/thread';
import * as sys from '@iobench/syscalls';
import { CONNECTING, Connection, OPEN } from './connection.js';
import { repeatRequest } from './request-bytes.js';
import { FRAMING_FAILED, NEED_MORE } from './response-framer.js';
import { type ErrorClass, Tallies } from './tallies.js';
import type { NativeThreadResult, NativeThreadSpec } from './thread-spec.js';

const { constants: c } = sys;

/** recv buffer, shared by the thread's connections (a response is framed before the next read). */
const RECV_BYTES = 64 * 1024;
const MAX_EVENTS = 512;
/** Pause before a slot retries a failed connect, so a dead target is not hammered in a spin. */
const CONNECT_RETRY_US = 10_000;
const CONNECTION_EVENTS = c.EPOLLIN | c.EPOLLOUT | c.EPOLLRDHUP | c.EPOLLET;

export class LoadLoop {
  readonly connections: Connection[] = [];
  private readonly byFd: (Connection | undefined)[] = [];
  private readonly epfd: number;
  private readonly addr: Uint8Array;
  private readonly family: number;
  private readonly requests: Uint8Array;
  private readonly requestBytes: number;
  /** Send and intended times of each slot's in-flight requests: `pipelining` entries per slot. */
  private readonly sentUs: Float64Array;
  private readonly intendedUs: Float64Array;
  private readonly recvBuf = new Uint8Array(RECV_BYTES);
  private readonly events = new Int32Array(MAX_EVENTS * 2);
  private readonly schedule?: SendSchedule;
  /** Open model: slots with a free pipeline slot, a ring of slot indices. */
  private readonly freeQueue: Int32Array;
  private freeHead = 0;
  private freeCount = 0;
  private readonly sweepEveryUs: number;
  private startUs = 0;
  /** Counts of the measured phase; created when it starts. */
  private tallies = new Tallies(0);
  private endUs = 0;
  private issued = 0;
  private failed = 0;
  private bytes = 0;
  private opened = 0;
  private fdLimitErrors = 0;
  private idleUs = 0;
  /** When the earliest failed connect may be retried, microseconds (Infinity: none pending). */
  private nextRetryUs = Infinity;
  private stopped = false;

  constructor(
    private readonly spec: NativeThreadSpec,
    private readonly stop: StopSignal,
    private readonly progress?: ProgressSlot,
  ) {
    this.addr = sys.sockaddr(spec.host, spec.port);
    this.family = spec.host.includes(':') ? c.AF_INET6 : c.AF_INET;
    this.requests = repeatRequest(spec.request, spec.pipelining);
    this.requestBytes = spec.request.length;
    const ringSize = spec.connections * spec.pipelining;
    this.sentUs = new Float64Array(ringSize);
    this.intendedUs = new Float64Array(spec.rate === undefined ? 0 : ringSize);
    this.freeQueue = new Int32Array(spec.rate === undefined ? 0 : spec.connections);
    if (spec.rate !== undefined) {
      const arrivals = {
        rate: spec.rate,
        stages: spec.stages,
        arrivals: spec.arrivals ?? 'uniform',
        seed: spec.seed ?? 0,
      };
      this.schedule = new SendSchedule(arrivals, spec.requests);
      // The loop sleeps in epoll_pwait2 until the next send is due; the kernel's default timer slack
      // would let that sleep end up to 50 µs late, and every µs of it is counted as latency.
      sys.setTimerSlack(1);
    }
    // Checking ten times per timeout keeps the overshoot within 10%; bounded so 10,000 slots cost little.
    this.sweepEveryUs = Math.min(250, Math.max(10, spec.timeoutMs / 10)) * 1000;
    for (let i = 0; i < spec.connections; i++) this.connections.push(new Connection(i, spec.headOnly));
    this.epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
    // Level-triggered and never read: the stop eventfd wakes every thread of the run.
    if (sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, stop.wakeFd, c.EPOLLIN) < 0) {
      throw new Error('epoll_ctl could not watch the stop eventfd');
    }
  }

  /** Runs the measured phase; returns when it is over. Connections stay open until `close`. */
  run(): NativeThreadResult {
    const spec = this.spec;
    let now = nowUs();
    this.startUs = now;
    this.tallies = new Tallies(now);
    const deadlineUs = now + spec.durationMs * 1000;
    this.schedule?.start(now, spec.durationMs);
    for (const conn of this.connections) this.connect(conn, now);
    // Opening 10,000 connections takes a while: that was work, not waiting.
    now = nowUs();
    let nextSweepUs = now + this.sweepEveryUs;
    while (!this.stopped) {
      let wakeUs = Math.min(deadlineUs, nextSweepUs, this.nextRetryUs);
      if (this.schedule !== undefined && this.freeCount > 0) wakeUs = Math.min(wakeUs, this.schedule.nextDueUs());
      const n = sys.epollWaitUs(this.epfd, this.events, MAX_EVENTS, Math.max(0, wakeUs - now));
      const woke = nowUs();
      this.idleUs += woke - now;
      if (n < 0 && n !== -c.EINTR) throw new Error(`epoll_pwait2 failed with errno ${-n}`);
      for (let i = 0; i < n; i++) this.onEvent(this.events[2 * i + 1]!, this.events[2 * i]!);
      now = nowUs();
      if (now >= deadlineUs || stopRequested(this.stop)) break;
      if (now >= this.nextRetryUs) this.retryConnects(now);
      if (now >= nextSweepUs) {
        this.sweepTimeouts(now);
        nextSweepUs = now + this.sweepEveryUs;
      }
      if (this.schedule !== undefined) this.pump(now);
      if (this.progress) {
        this.progress.array[this.progress.offset] = this.tallies.completed;
        this.progress.array[this.progress.offset + 1] = this.tallies.totalErrors;
      }
      if (this.limitReached()) break;
    }
    return this.finish(nowUs());
  }

  /** Closes every socket and the epoll instance. */
  close(): void {
    for (const conn of this.connections) if (conn.fd >= 0) sys.close(conn.fd);
    sys.close(this.epfd);
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
      // Responses in these bytes can only answer requests written in full before the recv: a
      // request queued while they are framed (or still partly unsent) is not theirs to complete.
      const answerable = unrequested ? 0 : conn.inFlight - Math.ceil(conn.unsentBytes / this.requestBytes);
      unrequested = false;
      const n = sys.recv(conn.fd, buf, 0, RECV_BYTES, 0);
      if (n > 0) {
        this.bytes += n;
        if (!this.frame(conn, n, answerable)) return;
        // A short read drained the data: under edge triggering, new data brings a new event. A FIN
        // that arrived with the data brings none of its own, so then read on to the EOF.
        if (n < RECV_BYTES && !peerClosed) return;
      } else if (n === 0) {
        if (conn.framer.closed()) this.responseComplete(conn, false);
        else if (conn.inFlight > 0) this.fail(conn, 'reset');
        else this.recycle(conn);
        return;
      } else {
        if (n !== -c.EAGAIN) this.fail(conn, n === -c.ECONNRESET ? 'reset' : 'read');
        return;
      }
    }
  }

  /**
   * Frames `n` received bytes, of which at most `answerable` responses may complete requests; false
   * when the connection was closed on the way.
   */
  private frame(conn: Connection, n: number, answerable: number): boolean {
    let pos = 0;
    while (pos < n) {
      const next = conn.framer.feed(this.recvBuf, pos, n);
      if (next === NEED_MORE) return true;
      if (next === FRAMING_FAILED || answerable-- <= 0) {
        // A response nobody asked for (more responses than requests, or one sent before the
        // request) is as broken as bytes that do not frame: the pairing of the rest is lost too.
        this.fail(conn, 'parse');
        return false;
      }
      if (!this.responseComplete(conn, conn.framer.keepAlive)) return false;
      pos = next;
    }
    return true;
  }

  /** Records a completed response; false when the server's close ended the connection. */
  private responseComplete(conn: Connection, keepAlive: boolean): boolean {
    const now = nowUs();
    const ring = conn.index * this.spec.pipelining + conn.ringHead;
    const sent = this.sentUs[ring]!;
    const latencyUs = Math.round(now - (this.schedule !== undefined ? this.intendedUs[ring]! : sent));
    this.tallies.response(now, latencyUs);
    if (this.schedule !== undefined) this.schedule.uncorrected.recordValue(Math.round(now - sent));
    if (this.progress) recordLatency(this.progress, latencyUs);
    conn.ringHead = conn.ringHead + 1 === this.spec.pipelining ? 0 : conn.ringHead + 1;
    conn.inFlight--;
    conn.completed++;
    const status = conn.framer.status;
    if (status < 200 || status >= 400) this.countError('status', now, 1);
    if (!keepAlive) {
      // The server closes after this response: requests still in flight on it are lost with it.
      if (conn.inFlight > 0) this.fail(conn, 'reset');
      else this.recycle(conn);
      return false;
    }
    if (this.schedule !== undefined) this.release(conn);
    else if (this.mayIssue()) this.sendNext(conn, now, now);
    return true;
  }

  private connect(conn: Connection, now: number): void {
    if (this.stopped) return;
    let fd = -1;
    try {
      fd = sys.socket(this.family, c.SOCK_STREAM | c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
      if (this.spec.localAddress !== undefined) sys.bind(fd, this.spec.localAddress, 0);
      // Pipelined requests go out while earlier ones are unacknowledged: Nagle would hold them back.
      if (this.spec.pipelining > 1) sys.setsockopt(fd, c.IPPROTO_TCP, c.TCP_NODELAY, 1);
    } catch (err) {
      if (fd >= 0) sys.close(fd);
      const errno = -((err as { errno?: number }).errno ?? -c.EINVAL);
      this.connectFailed(conn, errno, now);
      return;
    }
    const rc = sys.connect(fd, this.addr);
    let errno = rc === 0 || rc === -c.EINPROGRESS ? 0 : -rc;
    if (errno === 0) errno = -Math.min(0, sys.epollCtl(this.epfd, c.EPOLL_CTL_ADD, fd, CONNECTION_EVENTS));
    if (errno !== 0) {
      sys.close(fd);
      this.connectFailed(conn, errno, now);
      return;
    }
    conn.fd = fd;
    conn.state = CONNECTING;
    conn.connectStartUs = now;
    this.byFd[fd] = conn;
    this.opened++;
  }

  private connected(conn: Connection, now: number): void {
    conn.state = OPEN;
    this.tallies.connectLatency.recordValue(Math.round(now - conn.connectStartUs));
    if (this.schedule !== undefined) {
      conn.freeSlots = this.spec.pipelining;
      this.release(conn, 0);
    } else {
      for (let i = 0; i < this.spec.pipelining && this.mayIssue(); i++) this.queue(conn, now, now);
      this.flush(conn);
    }
  }

  private connectFailed(conn: Connection, errno: number, now: number): void {
    if (conn.fd >= 0) this.closeSocket(conn);
    if (errno === c.EMFILE || errno === c.ENFILE) this.fdLimitErrors++;
    this.countError('connect', now, 1);
    conn.retryAtUs = now + CONNECT_RETRY_US;
    if (conn.retryAtUs < this.nextRetryUs) this.nextRetryUs = conn.retryAtUs;
  }

  /** Queues one request on `conn` and writes it. */
  private sendNext(conn: Connection, intendedUs: number, now: number): void {
    this.queue(conn, intendedUs, now);
    this.flush(conn);
  }

  private queue(conn: Connection, intendedUs: number, now: number): void {
    const ring = conn.index * this.spec.pipelining + ((conn.ringHead + conn.inFlight) % this.spec.pipelining);
    this.sentUs[ring] = now;
    if (this.schedule !== undefined) this.intendedUs[ring] = intendedUs;
    conn.inFlight++;
    conn.unsentBytes += this.requestBytes;
    this.issued++;
  }

  private flush(conn: Connection): void {
    const total = this.requests.length;
    const n = sys.send(conn.fd, this.requests, total - conn.unsentBytes, conn.unsentBytes, 0);
    if (n >= 0) conn.unsentBytes -= n;
    else if (n !== -c.EAGAIN) this.fail(conn, n === -c.ECONNRESET ? 'reset' : 'write');
  }

  /** Open model: gives `conn` back `freed` pipeline slots and sends what is due. */
  private release(conn: Connection, freed = 1): void {
    conn.freeSlots += freed;
    if (!conn.queued && conn.freeSlots > 0) {
      this.freeQueue[(this.freeHead + this.freeCount) % this.freeQueue.length] = conn.index;
      this.freeCount++;
      conn.queued = true;
    }
    this.pump(nowUs());
  }

  private pump(now: number): void {
    const schedule = this.schedule!;
    schedule.enqueueDue(now);
    while (schedule.backlog.length > 0 && this.freeCount > 0) {
      const conn = this.connections[this.freeQueue[this.freeHead]!]!;
      if (conn.state !== OPEN || conn.freeSlots === 0 || !this.mayIssue()) {
        this.popFree(conn);
        if (!this.mayIssue()) return;
        continue;
      }
      const intended = schedule.take(now);
      conn.freeSlots--;
      if (conn.freeSlots === 0) this.popFree(conn);
      this.sendNext(conn, intended, now);
    }
  }

  private popFree(conn: Connection): void {
    conn.queued = false;
    this.freeHead = (this.freeHead + 1) % this.freeQueue.length;
    this.freeCount--;
  }

  /** Counts the in-flight requests of `conn` as failed with `errorClass`, then reconnects. */
  private fail(conn: Connection, errorClass: ErrorClass): void {
    if (conn.inFlight > 0) {
      this.failed += conn.inFlight;
      this.countError(errorClass, nowUs(), conn.inFlight);
    } else if (errorClass === 'parse') {
      this.countError(errorClass, nowUs(), 1);
    }
    this.recycle(conn);
  }

  /** Closes the socket of `conn` and connects it again (the server closed, or a request failed). */
  private recycle(conn: Connection): void {
    this.closeSocket(conn);
    this.connect(conn, nowUs());
  }

  private closeSocket(conn: Connection): void {
    this.byFd[conn.fd] = undefined;
    sys.close(conn.fd);
    conn.reset();
  }

  /** Reconnects the slots whose retry is due, and finds the next one due (a scan only when one is). */
  private retryConnects(now: number): void {
    // Failed connects below lower this again through connectFailed.
    this.nextRetryUs = Infinity;
    let next = Infinity;
    for (const conn of this.connections) {
      if (conn.retryAtUs === 0) continue;
      if (conn.retryAtUs <= now) {
        conn.retryAtUs = 0;
        this.connect(conn, now);
      } else if (conn.retryAtUs < next) {
        next = conn.retryAtUs;
      }
    }
    this.nextRetryUs = Math.min(next, this.nextRetryUs);
  }

  /** Requests older than the timeout fail as `timeout`; connects older than it as `connect`. */
  private sweepTimeouts(now: number): void {
    const timeoutUs = this.spec.timeoutMs * 1000;
    for (const conn of this.connections) {
      if (conn.state === OPEN && conn.inFlight > 0) {
        if (now - this.sentUs[conn.index * this.spec.pipelining + conn.ringHead]! > timeoutUs)
          this.fail(conn, 'timeout');
      } else if (conn.state === CONNECTING && now - conn.connectStartUs > timeoutUs) {
        this.connectFailed(conn, c.ETIMEDOUT, now);
      }
    }
  }

  private countError(errorClass: ErrorClass, now: number, count: number): void {
    this.tallies.error(errorClass, now, count);
  }

  private mayIssue(): boolean {
    return this.spec.requests === undefined || this.issued < this.spec.requests;
  }

  private limitReached(): boolean {
    if (this.spec.requests === undefined) return false;
    const settled = this.tallies.completed + this.failed;
    if (this.schedule !== undefined) return this.schedule.finished() && this.issued === settled;
    return this.issued >= this.spec.requests && this.issued === settled;
  }

  private finish(now: number): NativeThreadResult {
    this.stopped = true;
    this.endUs = now;
    this.schedule?.stop(now);
    const totalUs = this.endUs - this.startUs;
    return {
      ...this.tallies.report(),
      bytes: this.bytes,
      durationMs: totalUs / 1000,
      latencyUncorrected: this.schedule ? encodeHistogram(this.schedule.uncorrected) : undefined,
      perConnection: this.connections.map((conn) => conn.completed),
      connectionsOpened: this.opened,
      schedule: this.schedule?.report(),
      // Busy = not waiting in epoll: the fraction of the phase the loop itself was the bottleneck.
      loop: { utilization: totalUs > 0 ? Math.min(1, 1 - this.idleUs / totalUs) : 0, delayP99Us: 0, delayMaxUs: 0 },
      startedAtMs: performance.timeOrigin + this.startUs / 1000,
      fdLimitErrors: this.fdLimitErrors,
    };
  }
}
