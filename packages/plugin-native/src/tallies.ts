/**
 * What one generator thread counts while its loop runs: the latency histograms (per second; the
 * phase's is their sum), responses by status code, errors by class, per-second series. Kept apart from the loop so the loop reads as I/O;
 * every method is a few stores, called once per response or error, never allocating except one
 * latency recorder when a second's first response completes.
 */
import type { ErrorCounts } from '@iobench/core';
import { encodeHistogram, LatencyRecorder } from '@iobench/core/histogram';
import { LatencyBySecond, StatusCounts } from '@iobench/load-kit/thread';

export type ErrorClass = keyof ErrorCounts;

export class Tallies {
  /** Connect latency: per request too when the server closes after every response. */
  readonly connectLatency = new LatencyRecorder();
  readonly errors: ErrorCounts = { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0, tls: 0 };
  /** Responses completed, and errors counted, over the phase. */
  completed = 0;
  totalErrors = 0;
  private readonly latency = new LatencyBySecond();
  private readonly statusCodes = new StatusCounts();
  private readonly perSecondErrors: number[] = [];

  /** `startUs`: when the measured phase began, for the per-second series. */
  constructor(private readonly startUs: number) {}

  /** A response with `status` completed at `nowUs` after `latencyUs`. */
  response(nowUs: number, latencyUs: number, status: number): void {
    this.completed++;
    this.statusCodes.record(status);
    // The second's latency recorder counts its responses: the per-second request series.
    this.latency.record(Math.floor((nowUs - this.startUs) / 1e6), latencyUs);
  }

  /** `count` requests failed with `errorClass` at `nowUs`. */
  error(errorClass: ErrorClass, nowUs: number, count: number): void {
    this.errors[errorClass] += count;
    this.totalErrors += count;
    const second = Math.floor((nowUs - this.startUs) / 1e6);
    this.perSecondErrors[second] = (this.perSecondErrors[second] ?? 0) + count;
  }

  /** The tallies as a thread result reports them (histograms encoded, holes in the series as zeros). */
  report(): {
    requests: number;
    errors: ErrorCounts;
    statusCodes: Record<string, number>;
    latency: string;
    connectLatency: string;
    perSecondRequests: number[];
    perSecondErrors: number[];
    latencyPerSecond: string[];
  } {
    return {
      requests: this.completed,
      errors: this.errors,
      statusCodes: this.statusCodes.report(),
      ...this.latency.encode(),
      connectLatency: encodeHistogram(this.connectLatency),
      perSecondRequests: this.latency.countsPerSecond(),
      perSecondErrors: Array.from(this.perSecondErrors, (v) => v ?? 0),
    };
  }
}
