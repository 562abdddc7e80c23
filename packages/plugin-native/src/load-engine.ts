/**
 * What every engine of the native generator shares: the connection table, the per-slot rings of
 * send and intended times, the open model's free-slot queue over load-kit's `SendSchedule`, and the
 * bookkeeping of a response, a failure, a reconnect, a timeout sweep and the thread's result. An
 * engine (`EpollEngine`, `UringEngine`) adds only the I/O: how it waits, connects, writes the
 * queued request bytes and closes a socket, and it feeds received bytes to `frame` and ends of
 * stream to `endOfStream`. Nothing here allocates per request.
 *
 * The measured phase: connect every slot; then, until the duration, the request limit or a stop
 * request, wait (engine) for I/O or the next timer (the deadline, a timeout sweep, a connect retry,
 * the open model's next due send), then run what is due.
 */
import { encodeHistogram } from '@iobench/core/histogram';
import { type StopSignal, stopRequested } from '@iobench/core/thread';
import { nowUs, type ProgressSlot, recordLatency, SendSchedule } from '@iobench/load-kit/thread';
import * as sys from '@iobench/syscalls';
import { CONNECTING, Connection, OPEN } from './connection.js';
import { RequestCycle } from './request-cycle.js';
import { FRAMING_FAILED, NEED_MORE } from './response-framer.js';
import { type ErrorClass, Tallies } from './tallies.js';
import type { NativeThreadResult, NativeThreadSpec } from './thread-spec.js';

const { constants: c } = sys;

/** Pause before a slot retries a failed connect, so a dead target is not hammered in a spin. */
const CONNECT_RETRY_US = 10_000;

export abstract class LoadEngine {
  readonly connections: Connection[] = [];
  /** Target address, packed once for every connect. */
  protected readonly addr: Uint8Array;
  protected readonly family: number;
  /** The requests each connection cycles through; a connection's queued bytes are one range of `cycle.bytes`. */
  protected readonly cycle: RequestCycle;
  /** Send and intended times of each slot's in-flight requests: `pipelining` entries per slot. */
  private readonly sentUs: Float64Array;
  private readonly intendedUs: Float64Array;
  protected readonly schedule?: SendSchedule;
  /** Open model: slots with a free pipeline slot, a ring of slot indices. */
  private readonly freeQueue: Int32Array;
  private freeHead = 0;
  private freeCount = 0;
  private readonly sweepEveryUs: number;
  private startUs = 0;
  /** Counts of the measured phase; created when it starts. */
  protected tallies = new Tallies(0);
  private issued = 0;
  private failed = 0;
  protected bytes = 0;
  private opened = 0;
  private fdLimitErrors = 0;
  /** Time spent waiting for I/O (the engine adds its waits): the rest of the phase was work. */
  protected idleUs = 0;
  /** When the earliest failed connect may be retried, microseconds (Infinity: none pending). */
  private nextRetryUs = Infinity;
  private deadlineUs = 0;
  private nextSweepUs = 0;
  /** When the last round's work was done: the next round waits from there. */
  private roundEndUs = 0;
  protected stopped = false;

  constructor(
    protected readonly spec: NativeThreadSpec,
    protected readonly stop: StopSignal,
    private readonly progress?: ProgressSlot,
  ) {
    this.addr = sys.sockaddr(spec.host, spec.port);
    this.family = spec.host.includes(':') ? c.AF_INET6 : c.AF_INET;
    this.cycle = new RequestCycle(spec.requestList, spec.headOnly, spec.pipelining);
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
      // The loop sleeps until the next send is due; the kernel's default timer slack would let that
      // sleep end up to 50 µs late, and every µs of it is counted as latency.
      sys.setTimerSlack(1);
    }
    // Checking ten times per timeout keeps the overshoot within 10%; bounded so 10,000 slots cost little.
    this.sweepEveryUs = Math.min(250, Math.max(10, spec.timeoutMs / 10)) * 1000;
    for (let i = 0; i < spec.connections; i++) this.connections.push(new Connection(i, spec.headOnly[0]!));
  }

  /**
   * Waits for I/O until `wakeUs` at the latest (microseconds, `nowUs()` clock) and handles what
   * arrived; adds the time spent waiting to `idleUs`.
   */
  protected abstract wait(now: number, wakeUs: number): void;
  /** Starts connecting `conn` (no socket yet): `openSocket`, then the engine's connect, then `connecting`. */
  protected abstract connect(conn: Connection, now: number): void;
  /** Writes (or hands to the kernel) the queued request bytes of `conn`, `conn.unsentBytes` of them. */
  protected abstract flush(conn: Connection): void;
  /** Closes the socket of `conn` so that no event of it reaches the loop any more, then `conn.reset()`. */
  protected abstract closeSocket(conn: Connection): void;
  /** Closes every socket and the engine's own fds (after `run`, when the parent says so). */
  abstract close(): void;

  /** Runs the measured phase; returns when it is over. Connections stay open until `close`. */
  run(): NativeThreadResult {
    const spec = this.spec;
    const now = nowUs();
    this.startUs = now;
    this.tallies = new Tallies(now);
    this.deadlineUs = now + spec.durationMs * 1000;
    this.schedule?.start(now, spec.durationMs);
    for (const conn of this.connections) this.connect(conn, now);
    // Opening 10,000 connections takes a while: that was work, not waiting.
    this.roundEndUs = nowUs();
    this.nextSweepUs = this.roundEndUs + this.sweepEveryUs;
    // A round per call, not the loop's body inline: `run` is entered once, so only on-stack
    // replacement could optimise an inline loop, and its first deopt (the first timeout sweep, after
    // it was compiled) left the whole loop in baseline code for the rest of the phase.
    while (!this.stopped) if (!this.round()) break;
    return this.finish(nowUs());
  }

  /**
   * One round: waits for I/O (handled by the engine's `wait`) or the next timer, then runs what is
   * due. False when the phase is over: the deadline passed, a stop was requested or the request
   * limit was reached.
   */
  private round(): boolean {
    let wakeUs = Math.min(this.deadlineUs, this.nextSweepUs, this.nextRetryUs);
    if (this.schedule !== undefined && this.freeCount > 0) wakeUs = Math.min(wakeUs, this.schedule.nextDueUs());
    this.wait(this.roundEndUs, wakeUs);
    const now = nowUs();
    this.roundEndUs = now;
    if (now >= this.deadlineUs || stopRequested(this.stop)) return false;
    if (now >= this.nextRetryUs) this.retryConnects(now);
    if (now >= this.nextSweepUs) {
      this.sweepTimeouts(now);
      this.nextSweepUs = now + this.sweepEveryUs;
    }
    if (this.schedule !== undefined) this.pump(now);
    this.reportProgress();
    return !this.limitReached();
  }

  /** Publishes the running totals to the progress board (responses and errors so far). */
  private reportProgress(): void {
    if (this.progress === undefined) return;
    this.progress.array[this.progress.offset] = this.tallies.completed;
    this.progress.array[this.progress.offset + 1] = this.tallies.totalErrors;
  }

  /**
   * A new socket for `conn`, bound and configured; -1 when that failed (then counted as a failed
   * connect). `flags`: the socket type flags beyond SOCK_STREAM.
   */
  protected openSocket(conn: Connection, now: number, flags: number): number {
    let fd = -1;
    try {
      fd = sys.socket(this.family, c.SOCK_STREAM | flags);
      if (this.spec.localAddress !== undefined) sys.bind(fd, this.spec.localAddress, 0);
      // Pipelined requests go out while earlier ones are unacknowledged: Nagle would hold them back.
      if (this.spec.pipelining > 1) sys.setsockopt(fd, c.IPPROTO_TCP, c.TCP_NODELAY, 1);
    } catch (err) {
      if (fd >= 0) sys.close(fd);
      const errno = -((err as { errno?: number }).errno ?? -c.EINVAL);
      this.connectFailed(conn, errno, now);
      return -1;
    }
    return fd;
  }

  /** `conn` now owns `fd`, whose connect is under way. */
  protected connecting(conn: Connection, fd: number, now: number): void {
    conn.fd = fd;
    conn.state = CONNECTING;
    conn.connectStartUs = now;
    this.opened++;
  }

  /** The connect of `conn` completed: send its first requests (or offer its slots to the schedule). */
  protected connected(conn: Connection, now: number): void {
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

  protected connectFailed(conn: Connection, errno: number, now: number): void {
    if (conn.fd >= 0) this.closeSocket(conn);
    if (errno === c.EMFILE || errno === c.ENFILE) this.fdLimitErrors++;
    this.countError('connect', now, 1);
    conn.retryAtUs = now + CONNECT_RETRY_US;
    if (conn.retryAtUs < this.nextRetryUs) this.nextRetryUs = conn.retryAtUs;
  }

  /**
   * Responses a read may complete: only requests written in full before it. A request queued while
   * its bytes are framed (or still partly unsent) is not theirs to complete.
   */
  protected answerable(conn: Connection): number {
    return conn.inFlight - conn.unsentRequests;
  }

  /** Where the queued bytes of `conn` start in `cycle.bytes` (`conn.unsentBytes` of them follow). */
  protected unsentOffset(conn: Connection): number {
    return conn.unsentEnd - conn.unsentBytes;
  }

  /** `n` queued bytes of `conn` were written: the requests written in full are answerable now. */
  protected sent(conn: Connection, n: number): void {
    conn.unsentBytes -= n;
    const start = conn.unsentEnd - conn.unsentBytes;
    const ends = this.cycle.ends;
    while (conn.unsentRequests > 0 && ends[conn.lastQueued - conn.unsentRequests + 1]! <= start) conn.unsentRequests--;
  }

  /**
   * Frames received bytes `buf[pos, end)`, of which at most `answerable` responses may complete
   * requests; false when the connection was closed on the way. `receivedUs`: when the read that
   * delivered them returned — the completion time of every response they complete.
   *
   * A response is timed by its read, not by when the loop gets to it: every response of one read
   * (one recv(2), or every completion of one io_uring_enter) had arrived when it returned, and the
   * loop's own work on the responses before it in that read is not the server's latency. So one
   * clock reading serves a whole io_uring round, and every response of a pipelined recv.
   */
  protected frame(
    conn: Connection,
    buf: Uint8Array,
    pos: number,
    end: number,
    answerable: number,
    receivedUs: number,
  ): boolean {
    this.bytes += end - pos;
    const cycle = this.cycle;
    while (pos < end) {
      // The bytes answer the oldest request in flight; only a list mixing HEAD with others needs telling.
      if (cycle.mixedHeadOnly) conn.framer.headOnly = cycle.headOnly[oldestInFlight(conn, cycle.count)]!;
      const next = conn.framer.feed(buf, pos, end);
      if (next === NEED_MORE) return true;
      if (next === FRAMING_FAILED || answerable-- <= 0) {
        // A response nobody asked for (more responses than requests, or one sent before the
        // request) is as broken as bytes that do not frame: the pairing of the rest is lost too.
        this.fail(conn, 'parse');
        return false;
      }
      if (!this.responseComplete(conn, conn.framer.keepAlive, receivedUs)) return false;
      pos = next;
    }
    return true;
  }

  /**
   * The server closed its side (recv returned 0, at `receivedUs`): a close-delimited body ends, or
   * requests are lost.
   */
  protected endOfStream(conn: Connection, receivedUs: number): void {
    if (conn.framer.closed()) this.responseComplete(conn, false, receivedUs);
    else if (conn.inFlight > 0) this.fail(conn, 'reset');
    else this.recycle(conn);
  }

  /** A receive failed with `errno` (positive, not EAGAIN). */
  protected readFailed(conn: Connection, errno: number): void {
    this.fail(conn, errno === c.ECONNRESET ? 'reset' : 'read');
  }

  /** A write failed with `errno` (positive, not EAGAIN). */
  protected writeFailed(conn: Connection, errno: number): void {
    this.fail(conn, errno === c.ECONNRESET ? 'reset' : 'write');
  }

  /** Records a response completed at `now` (see `frame`); false when the server's close ended the connection. */
  private responseComplete(conn: Connection, keepAlive: boolean, now: number): boolean {
    const ring = conn.index * this.spec.pipelining + conn.ringHead;
    const sent = this.sentUs[ring]!;
    const latencyUs = Math.round(now - (this.schedule !== undefined ? this.intendedUs[ring]! : sent));
    const status = conn.framer.status;
    this.tallies.response(now, latencyUs, status);
    if (this.schedule !== undefined) this.schedule.uncorrected.recordValue(Math.round(now - sent));
    if (this.progress) recordLatency(this.progress, latencyUs);
    conn.ringHead = conn.ringHead + 1 === this.spec.pipelining ? 0 : conn.ringHead + 1;
    conn.inFlight--;
    conn.completed++;
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

  /** Queues one request on `conn` and writes it. */
  private sendNext(conn: Connection, intendedUs: number, now: number): void {
    this.queue(conn, intendedUs, now);
    this.flush(conn);
  }

  private queue(conn: Connection, intendedUs: number, now: number): void {
    const pipelining = this.spec.pipelining;
    // The slot after the in-flight ones, wrapping (both are below `pipelining`): no division per request.
    const slot = conn.ringHead + conn.inFlight;
    const ring = conn.index * pipelining + (slot >= pipelining ? slot - pipelining : slot);
    this.sentUs[ring] = now;
    if (this.schedule !== undefined) this.intendedUs[ring] = intendedUs;
    conn.inFlight++;
    // The next request of the connection's cycle, laid out right after its queued bytes.
    const cycle = this.cycle;
    const q = conn.nextRequest;
    conn.nextRequest = q + 1 === cycle.count ? 0 : q + 1;
    if (conn.unsentBytes === 0) {
      conn.lastQueued = q;
    } else {
      // Queued bytes wholly in the repeated tail are the same bytes one cycle earlier: move there,
      // so that the range never runs past the laid-out requests.
      if (conn.unsentEnd - conn.unsentBytes >= cycle.cycleBytes) conn.lastQueued -= cycle.count;
      conn.lastQueued++;
    }
    conn.unsentEnd = cycle.ends[conn.lastQueued]!;
    conn.unsentBytes += cycle.lengths[q]!;
    conn.unsentRequests++;
    this.issued++;
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
  protected fail(conn: Connection, errorClass: ErrorClass): void {
    if (conn.inFlight > 0) {
      this.failed += conn.inFlight;
      this.countError(errorClass, nowUs(), conn.inFlight);
    } else if (errorClass === 'parse') {
      this.countError(errorClass, nowUs(), 1);
    }
    this.recycle(conn);
  }

  /** Closes the socket of `conn` and connects it again (the server closed, or a request failed). */
  protected recycle(conn: Connection): void {
    this.closeSocket(conn);
    this.connect(conn, nowUs());
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

  protected mayIssue(): boolean {
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
    this.schedule?.stop(now);
    const totalUs = now - this.startUs;
    return {
      ...this.tallies.report(),
      bytes: this.bytes,
      durationMs: totalUs / 1000,
      latencyUncorrected: this.schedule ? encodeHistogram(this.schedule.uncorrected) : undefined,
      perConnection: this.connections.map((conn) => conn.completed),
      connectionsOpened: this.opened,
      schedule: this.schedule?.report(),
      // Busy = not waiting for I/O: the fraction of the phase the loop itself was the bottleneck.
      loop: { utilization: totalUs > 0 ? Math.min(1, 1 - this.idleUs / totalUs) : 0, delayP99Us: 0, delayMaxUs: 0 },
      startedAtMs: performance.timeOrigin + this.startUs / 1000,
      fdLimitErrors: this.fdLimitErrors,
    };
  }
}

/** Index in the request list of the oldest request in flight on `conn` (its requests are consecutive in the cycle). */
function oldestInFlight(conn: Connection, count: number): number {
  return (((conn.nextRequest - conn.inFlight) % count) + count) % count;
}
