/**
 * The open model's schedule, run by the generator thread itself (a worker blocked in epoll has no
 * timers; undici's thread arms one timer for the next due time): requests fall due on the arrival
 * clock whatever the responses do, wait in a backlog until a connection has a free slot, and go out
 * oldest first. Latency is then measured from the intended time (corrected for coordinated omission);
 * what the schedule itself records is how well the generator kept it — each send's lag behind its
 * intended time, late and dropped sends, and the load offered in each second.
 */
import { encodeHistogram, LatencyRecorder } from '@iobench/core/histogram';
import { FloatQueue } from '../float-queue.js';
import { ArrivalClock, type ArrivalSpec } from './arrivals.js';

/**
 * A send that leaves more than this after its intended time counts as late — unless the generator
 * declares a coarser send precision (undici: Node timers tick in milliseconds).
 */
export const LATE_US = 1000;

/** What a thread's schedule reports: plain data, it crosses the worker boundary. */
export interface ScheduleReport {
  /** This thread's share of the target rate (the peak stage's, with stages). */
  targetRate: number;
  /** A send this many microseconds or less after its intended time was on time. */
  lateAfterUs: number;
  /** Sends the schedule intended within the phase. */
  offered: number;
  lateSends: number;
  droppedSends: number;
  /** Actual minus intended send time of every send, microseconds, encoded. */
  sendLag: string;
  /** Sends intended in each second of the phase. */
  offeredPerSecond: number[];
  /** Of those, the sends that went out late or never, by the second they were intended in. */
  latePerSecond: number[];
}

export class SendSchedule {
  /** Send-to-response latency, microseconds: what a closed-loop tool would have reported. */
  readonly uncorrected = new LatencyRecorder();
  /** Actual minus intended send time, microseconds: the generator's own share of corrected latency. */
  readonly sendLag = new LatencyRecorder();
  /** Intended send times of due requests not yet sent. */
  readonly backlog = new FloatQueue();
  lateSends = 0;
  droppedSends = 0;
  private readonly clock: ArrivalClock;
  private readonly offeredPerSecond: number[] = [];
  private readonly latePerSecond: number[] = [];
  private startUs = 0;
  private endUs = Infinity;
  private scheduled = 0;

  /**
   * @param lateAfterUs the generator's send precision: a send later than this is late (and a send
   *   due within this of the end, cut by it, is not dropped).
   */
  constructor(
    private readonly spec: ArrivalSpec,
    private readonly limit: number | undefined,
    private readonly lateAfterUs = LATE_US,
  ) {
    this.clock = new ArrivalClock(spec);
  }

  start(startUs: number, durationMs: number): void {
    this.startUs = startUs;
    this.endUs = startUs + durationMs * 1000;
  }

  /** Moves every request due by `nowUs` (and intended before the end of the phase) into the backlog. */
  enqueueDue(nowUs: number): void {
    // Bounded by the end of the phase too: after a stall, sends intended past the end must not go
    // out in the last moments and inflate the count.
    const until = Math.min(nowUs, this.endUs - 1e-6);
    let due = this.nextDueUs();
    while (due <= until) {
      this.backlog.push(due);
      const second = Math.floor((due - this.startUs) / 1e6);
      this.offeredPerSecond[second] = (this.offeredPerSecond[second] ?? 0) + 1;
      this.scheduled++;
      this.clock.advance();
      due = this.nextDueUs();
    }
  }

  /** When the next request not yet in the backlog is due, or Infinity when none is left. */
  nextDueUs(): number {
    if (this.limit !== undefined && this.scheduled >= this.limit) return Infinity;
    const due = this.startUs + this.clock.peekSeconds() * 1e6;
    return due < this.endUs ? due : Infinity;
  }

  /** Takes the oldest due send, going out at `nowUs`; returns its intended time. The backlog must not be empty. */
  take(nowUs: number): number {
    const intended = this.backlog.shift();
    const lagUs = nowUs - intended;
    this.sendLag.recordValue(lagUs > 0 ? Math.round(lagUs) : 0);
    if (lagUs > this.lateAfterUs) {
      this.lateSends++;
      this.countLate(intended);
    }
    return intended;
  }

  /** True once every send of a request-limited run has gone out. */
  finished(): boolean {
    return this.limit !== undefined && this.scheduled >= this.limit && this.backlog.length === 0;
  }

  /**
   * Ends the schedule at `endUs`: sends due by then that never went out are dropped — except those
   * due within the last `lateAfterUs`, which the end cut short rather than the generator failing them
   * (they would not even have been late yet).
   */
  stop(endUs: number): void {
    this.enqueueDue(endUs);
    let dropped = 0;
    while (this.backlog.length > 0) {
      const intended = this.backlog.shift();
      if (intended >= endUs - this.lateAfterUs) continue;
      dropped++;
      this.countLate(intended);
    }
    this.droppedSends = dropped;
  }

  private countLate(intendedUs: number): void {
    const second = Math.floor((intendedUs - this.startUs) / 1e6);
    this.latePerSecond[second] = (this.latePerSecond[second] ?? 0) + 1;
  }

  report(): ScheduleReport {
    return {
      targetRate: this.spec.stages?.length ? Math.max(...this.spec.stages.map((s) => s.rate)) : this.spec.rate,
      lateAfterUs: this.lateAfterUs,
      offered: this.scheduled,
      lateSends: this.lateSends,
      droppedSends: this.droppedSends,
      sendLag: encodeHistogram(this.sendLag),
      offeredPerSecond: Array.from(this.offeredPerSecond, (v) => v ?? 0),
      latePerSecond: Array.from(this.latePerSecond, (v) => v ?? 0),
    };
  }
}
