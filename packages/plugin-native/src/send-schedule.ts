/**
 * The open model's clock, run by the generator loop itself (a worker thread blocked in epoll has no
 * timers): request k is due at `start + k / rate` whatever the responses do. Due requests wait in a
 * backlog until a connection has a free pipeline slot, oldest first; latency is then measured from
 * the intended time (coordinated-omission corrected), and send-to-response goes in `uncorrected`.
 */
import { createLatencyHistogram, type Histogram } from '@iobench/core/histogram';
import { FloatQueue } from '@iobench/load-kit/thread';

/** A send that leaves more than this after its intended time counts as late. */
export const LATE_US = 1000;

export class SendSchedule {
  /** Send-to-response latency, microseconds: what a closed-loop tool would have reported. */
  readonly uncorrected: Histogram = createLatencyHistogram();
  /** Intended send times of due requests not yet sent. */
  readonly backlog = new FloatQueue();
  lateSends = 0;
  droppedSends = 0;
  private readonly intervalUs: number;
  private startUs = 0;
  private endUs = Infinity;
  private scheduled = 0;

  constructor(
    readonly rate: number,
    private readonly limit: number | undefined,
  ) {
    this.intervalUs = 1e6 / rate;
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
    let due = this.startUs + this.scheduled * this.intervalUs;
    while (due <= until && (this.limit === undefined || this.scheduled < this.limit)) {
      this.backlog.push(due);
      this.scheduled++;
      due = this.startUs + this.scheduled * this.intervalUs;
    }
  }

  /** When the next request not yet in the backlog is due, or Infinity when none is left. */
  nextDueUs(): number {
    if (this.limit !== undefined && this.scheduled >= this.limit) return Infinity;
    const due = this.startUs + this.scheduled * this.intervalUs;
    return due < this.endUs ? due : Infinity;
  }

  /** True once every send of a request-limited run has gone out. */
  finished(): boolean {
    return this.limit !== undefined && this.scheduled >= this.limit && this.backlog.length === 0;
  }

  /** Ends the schedule at `endUs`: sends due by then that never went out are dropped. */
  stop(endUs: number): void {
    this.enqueueDue(endUs);
    this.droppedSends = this.backlog.length;
  }
}
