/**
 * The open model's sender. Request k is due at `start + k / rate`, whatever the responses do. A due
 * request goes out on a free slot (a connection with fewer than `pipelining` requests in flight);
 * when none is free it waits in a backlog and goes out, oldest first, as soon as a slot frees up.
 * Latency is then measured from the intended time (coordinated-omission corrected); the slot's own
 * send-to-response time goes into `uncorrected`.
 */
import { createLatencyHistogram, type Histogram } from '@iobench/core';
import { FloatQueue, nowUs } from '@iobench/load-kit';
import type { RequestSlot } from './request-slot.js';

/** A send that leaves more than this after its intended time counts as late. */
const LATE_US = 1000;

export class OpenSchedule {
  /** Send-to-response latency, microseconds: what a closed-loop tool would have reported. */
  readonly uncorrected: Histogram = createLatencyHistogram();
  private readonly intervalUs: number;
  private readonly backlog = new FloatQueue();
  private free: RequestSlot[] = [];
  private startUs = 0;
  /** No send is intended at or after this time: the end of the measured phase. */
  private endUs = Infinity;
  private scheduled = 0;
  private lateSends = 0;
  private droppedSends = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly rate: number,
    private readonly durationMs: number,
    private readonly limit: number | undefined,
    private readonly send: (slot: RequestSlot, intendedUs: number) => void,
  ) {
    this.intervalUs = 1e6 / rate;
  }

  start(startUs: number, slots: RequestSlot[]): void {
    this.startUs = startUs;
    this.endUs = startUs + this.durationMs * 1000;
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
    return this.limit !== undefined && this.scheduled >= this.limit && this.backlog.length === 0;
  }

  /** Ends the schedule: sends due by `endUs` that never went out are dropped. */
  stop(endUs: number): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.enqueueDue(endUs);
    this.droppedSends = this.backlog.length;
  }

  summary(): { targetRate: number; lateSends: number; droppedSends: number } {
    return { targetRate: this.rate, lateSends: this.lateSends, droppedSends: this.droppedSends };
  }

  private enqueueDue(now: number): void {
    // Bounded by the end of the phase too: when the process was descheduled and timers fire late,
    // sends intended after the end must not go out in the last moments and inflate the count.
    const until = Math.min(now, this.endUs - 1e-6);
    let due = this.startUs + this.scheduled * this.intervalUs;
    while (due <= until && (this.limit === undefined || this.scheduled < this.limit)) {
      this.backlog.push(due);
      this.scheduled++;
      due = this.startUs + this.scheduled * this.intervalUs;
    }
  }

  private pump(now: number): void {
    if (this.stopped) return;
    this.enqueueDue(now);
    while (this.backlog.length > 0 && this.free.length > 0) {
      const slot = this.free.shift()!;
      const intendedUs = this.backlog.shift();
      this.send(slot, intendedUs);
      if (slot.sentUs - intendedUs > LATE_US) this.lateSends++;
    }
    this.arm();
  }

  /** One timer at a time, set for the next due send; responses also pump, so it may fire early. */
  private arm(): void {
    if (this.timer !== undefined || this.free.length === 0) return;
    if (this.limit !== undefined && this.scheduled >= this.limit) return;
    if (this.startUs + this.scheduled * this.intervalUs >= this.endUs) return;
    const delayMs = (this.startUs + this.scheduled * this.intervalUs - nowUs()) / 1000;
    this.timer = setTimeout(this.tick, Math.max(0, delayMs));
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.pump(nowUs());
  };
}
