/**
 * Live progress shared between generator threads and the thread that reports it: per thread, in one
 * SharedArrayBuffer, its running totals `[requests, errors]` and a coarse latency histogram of every
 * completed request. Each thread writes only its own slot; the reader sums the slots about once a
 * second and takes the percentiles of what completed since its last read. The histogram is for live
 * displays only (log-linear buckets, within about 6%): results keep the exact HDR histogram.
 */
import type { LoadProgress } from '@iobench/core';

/** Sub-buckets per power of two: values are kept to within 1/16 (about 6%) of their bucket's middle. */
const SUB_BITS = 3;
const SUB = 1 << SUB_BITS;
/** Buckets up to 2^31 µs (35 minutes); longer latencies count in the last one. */
const BUCKETS = (31 - SUB_BITS + 1) * SUB;
/** Floats per thread slot: requests, errors, then the buckets. */
const SLOT = 2 + BUCKETS;

/** A thread's slot in the board: what `recordLatency` and the totals are written to. */
export interface ProgressSlot {
  array: Float64Array;
  offset: number;
}

/** The bucket of a latency in microseconds: exact below 8 µs, then 8 buckets per power of two. */
export function latencyBucket(us: number): number {
  const v = us >= 0x7fffffff ? 0x7fffffff : us < 1 ? 0 : us | 0;
  const exp = 31 - Math.clz32(v);
  return exp < SUB_BITS ? v : (exp - SUB_BITS + 1) * SUB + ((v >>> (exp - SUB_BITS)) & (SUB - 1));
}

/** The middle of a bucket's range, in microseconds. */
export function bucketMiddleUs(bucket: number): number {
  if (bucket < SUB) return bucket;
  const exp = Math.floor(bucket / SUB) + SUB_BITS - 1;
  const low = (SUB + (bucket % SUB)) * 2 ** (exp - SUB_BITS);
  return low + 2 ** (exp - SUB_BITS) / 2;
}

/**
 * Counts one completed request's latency in a thread's slot: a shift, a count of leading zeros and
 * one increment, cheap enough for a generator's hot loop.
 */
export function recordLatency(slot: ProgressSlot, us: number): void {
  slot.array[slot.offset + 2 + latencyBucket(us)]!++;
}

/** The reading side: one board for `threads` threads, read into `LoadProgress` reports. */
export class ProgressBoard {
  readonly array: Float64Array;
  private readonly previous = new Float64Array(BUCKETS);
  private readonly current = new Float64Array(BUCKETS);

  constructor(private readonly threads: number) {
    this.array = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * SLOT * threads));
  }

  /** Thread `i`'s slot (also posted to a worker: the array shares its memory). */
  slot(i: number): ProgressSlot {
    return { array: this.array, offset: i * SLOT };
  }

  /** Totals so far and the latency of what completed since the previous read. */
  read(elapsedMs: number): LoadProgress {
    let requests = 0;
    let errors = 0;
    this.current.fill(0);
    for (let t = 0; t < this.threads; t++) {
      const base = t * SLOT;
      requests += this.array[base]!;
      errors += this.array[base + 1]!;
      for (let b = 0; b < BUCKETS; b++) this.current[b]! += this.array[base + 2 + b]!;
    }
    let count = 0;
    for (let b = 0; b < BUCKETS; b++) count += this.current[b]! - this.previous[b]!;
    const recent =
      count > 0
        ? { requests: count, p50Us: this.percentile(0.5, count), p99Us: this.percentile(0.99, count) }
        : undefined;
    this.previous.set(this.current);
    return { elapsedMs, requests, errors, ...(recent ? { recent } : {}) };
  }

  private percentile(q: number, count: number): number {
    const rank = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.current[b]! - this.previous[b]!;
      if (seen >= rank) return Math.round(bucketMiddleUs(b));
    }
    return Math.round(bucketMiddleUs(BUCKETS - 1));
  }
}
