/**
 * The open model's sender on undici's event loop. Requests fall due on load-kit's SendSchedule
 * (uniform or Poisson arrivals, a fixed or ramping rate); a due request goes out on a free slot (a
 * connection with fewer than `pipelining` requests in flight), and when none is free it waits in the
 * schedule's backlog and goes out, oldest first, as soon as a slot frees up. One timer at a time is
 * armed for the next due send; responses also pump, so it may fire with nothing to do.
 */
import { type ArrivalSpec, nowUs, type ScheduleReport, SendSchedule } from '@iobench/load-kit/thread';
import type { RequestSlot } from './request-slot.js';

/**
 * undici's send precision: Node's timers run on the event loop's millisecond clock and fire up to a
 * millisecond after their time, so a send up to 2 ms after its intended time is as on time as this
 * generator can be (measured on a quiet machine: lag p50 0.4–0.5 ms, p99 1.7–2.1 ms at 1,000–5,000
 * req/s; judged at 1 ms, 11–15% of its sends read late with no queue anywhere). The lag itself is
 * still recorded, and latency still counts from the intended time.
 */
export const UNDICI_LATE_AFTER_US = 2000;

export class OpenSchedule {
  private readonly schedule: SendSchedule;
  private free: RequestSlot[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    arrivals: ArrivalSpec,
    private readonly durationMs: number,
    limit: number | undefined,
    private readonly send: (slot: RequestSlot, intendedUs: number) => void,
  ) {
    this.schedule = new SendSchedule(arrivals, limit, UNDICI_LATE_AFTER_US);
  }

  /** Send-to-response latency, microseconds: what a closed-loop tool would have reported. */
  get uncorrected() {
    return this.schedule.uncorrected;
  }

  start(startUs: number, slots: RequestSlot[]): void {
    this.schedule.start(startUs, this.durationMs);
    this.free = slots.slice();
    this.pump(nowUs());
  }

  /** A slot's request ended; it may take the oldest waiting send. */
  release(slot: RequestSlot, now: number): void {
    this.free.push(slot);
    this.pump(now);
  }

  /** True once every send of a request-limited run has gone out. */
  finished(): boolean {
    return this.schedule.finished();
  }

  /** Ends the schedule: sends due by `endUs` that never went out are dropped. */
  stop(endUs: number): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.schedule.stop(endUs);
  }

  summary(): ScheduleReport {
    return this.schedule.report();
  }

  private pump(now: number): void {
    if (this.stopped) return;
    const schedule = this.schedule;
    schedule.enqueueDue(now);
    while (schedule.backlog.length > 0 && this.free.length > 0) {
      const slot = this.free.shift()!;
      this.send(slot, schedule.take(nowUs()));
    }
    this.arm();
  }

  /** One timer at a time, set for the next due send. */
  private arm(): void {
    if (this.timer !== undefined || this.free.length === 0) return;
    const due = this.schedule.nextDueUs();
    if (due === Infinity) return;
    this.timer = setTimeout(this.tick, Math.max(0, (due - nowUs()) / 1000));
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.pump(nowUs());
  };
}
