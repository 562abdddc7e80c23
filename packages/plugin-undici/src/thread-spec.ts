/**
 * What one generator thread is asked to do and what it reports back. Both cross worker-thread
 * boundaries through structured clone, so they hold plain data only (histograms encoded).
 */
import type { EncodedHistogram, ErrorCounts } from '@iobench/core';

export interface ThreadSpec {
  /** `protocol://host:port` of the target. */
  origin: string;
  method: string;
  /** Request path with query, starting with `/`. */
  path: string;
  /** Request headers as a flat `[name, value, ...]` list. */
  headers: string[];
  body?: string;
  /** Connections this thread opens. */
  connections: number;
  /** Requests in flight per connection. */
  pipelining: number;
  durationMs: number;
  /** This thread's share of the request limit, when there is one. */
  requests?: number;
  /** Open model: this thread's share of the overall rate, requests per second. */
  rate?: number;
  timeoutMs: number;
  /** Source address to bind connections to. */
  localAddress?: string;
  /** Zone (interface) of a link-local IPv6 target, e.g. `iob1` from `http://[fe80::1%iob1]:8080/`. */
  zone?: string;
}

/** How busy the thread's event loop was during the measured phase. */
export interface LoopStats {
  /** Event-loop utilisation, 0..1 (fraction of time not idle waiting for I/O). */
  utilization: number;
  delayP99Us: number;
  delayMaxUs: number;
}

export interface ThreadResult {
  requests: number;
  bytes: number;
  durationMs: number;
  errors: ErrorCounts;
  latency: EncodedHistogram;
  latencyUncorrected?: EncodedHistogram;
  connectLatency: EncodedHistogram;
  /** Completions in each second since the thread's start. */
  perSecondRequests: number[];
  perSecondErrors: number[];
  /** Completions per connection slot, in slot order. */
  perConnection: number[];
  connectionsOpened: number;
  schedule?: { targetRate: number; lateSends: number; droppedSends: number };
  loop: LoopStats;
  /** When the measured phase started, epoch milliseconds (to line threads up). */
  startedAtMs: number;
  /** Why undici refused to send the request at all (invalid header, path...), when it did. */
  requestRejected?: string;
}
