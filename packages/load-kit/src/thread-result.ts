/**
 * What one generator thread reports back, whichever client drives it. It crosses worker-thread
 * boundaries through structured clone, so it holds plain data only (histograms encoded).
 */
import type { EncodedHistogram, ErrorCounts } from '@iobench/core';
import type { ArrivalProcess } from './open-model/arrivals.js';
import type { ScheduleReport } from './open-model/send-schedule.js';

/** The part of a load that splits over threads: connections, and the request limit and rate with them. */
export interface LoadShare {
  /** Connections this thread opens. */
  connections: number;
  /** This thread's share of the request limit, when there is one. */
  requests?: number;
  /** Open model: this thread's share of the overall rate, requests per second. */
  rate?: number;
  /** Open model: how requests arrive (the same for every thread). */
  arrivals?: ArrivalProcess;
  /** Open model with a ramping rate: this thread's share of each stage's rate. */
  stages?: Array<{ durationMs: number; rate: number }>;
  /** Open model: the seed of this thread's arrival draws. */
  seed?: number;
}

/** How busy the thread's loop was during the measured phase. */
export interface LoopStats {
  /** Loop utilisation, 0..1 (fraction of time not idle waiting for I/O). */
  utilization: number;
  /** Lateness of the loop's own timers (p99, max), microseconds; 0 where the loop has none to measure. */
  delayP99Us: number;
  delayMaxUs: number;
}

export interface ThreadResult {
  requests: number;
  bytes: number;
  durationMs: number;
  errors: ErrorCounts;
  /** Completed responses by status code (`StatusCounts.report()`). */
  statusCodes: Record<string, number>;
  latency: EncodedHistogram;
  latencyUncorrected?: EncodedHistogram;
  connectLatency: EncodedHistogram;
  /** Completions in each second since the thread's start. */
  perSecondRequests: number[];
  perSecondErrors: number[];
  /** Latency of the completions in each second since the thread's start, where the client splits it by second. */
  latencyPerSecond?: EncodedHistogram[];
  /** Completions per connection slot, in slot order. */
  perConnection: number[];
  connectionsOpened: number;
  /** Open model: how well the thread kept its schedule. */
  schedule?: ScheduleReport;
  loop: LoopStats;
  /** When the measured phase started, epoch milliseconds (to line threads up). */
  startedAtMs: number;
}
