/**
 * A latency histogram for a generator's hot loop. hdr-histogram-js finds a value's bucket with
 * `Math.log2` and `Math.pow` and goes through half a dozen methods per value; this counts into the
 * very layout of `createLatencyHistogram()` (1 µs to 1 h, 3 significant digits: 2,048 sub-buckets,
 * 23,552 counts) with a count of leading zeros and one increment, and is added into such a histogram
 * when the thread reports — the same counts, total, minimum and maximum, so the same encoding.
 * Values off the fast path (fractions, negatives, NaN, 2^32 µs and more: none a generator records)
 * are kept as they are and recorded there one by one, so nothing can come out different.
 */
import type { Histogram } from 'hdr-histogram-js';

/** Bucket 0 counts 0..2047 one by one: 2 × 10^3 (3 significant digits) rounded up to a power of two. */
const SUB_BUCKET_BITS = 11;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS;
const HALF_BITS = SUB_BUCKET_BITS - 1;
/** Buckets 0..21, each but the first 1,024 counts wide: every integer below 2^32 (one hour is 3.6e9 µs). */
const COUNTS_LENGTH = (21 + 2) << HALF_BITS;

export class LatencyRecorder {
  private readonly counts = new Uint32Array(COUNTS_LENGTH);
  private total = 0;
  private minNonZero = Number.MAX_SAFE_INTEGER;
  private max = 0;
  /** Values off the fast path, in the order recorded. */
  private readonly others: number[] = [];

  /** Values recorded so far. */
  get totalCount(): number {
    return this.total + this.others.length;
  }

  /** Records one latency in microseconds. */
  recordValue(us: number): void {
    if (us >>> 0 !== us) {
      this.others.push(us);
      return;
    }
    this.counts[indexOf(us)]!++;
    this.total++;
    if (us > this.max) this.max = us;
    if (us < this.minNonZero && us !== 0) this.minNonZero = us;
  }

  /**
   * Adds the recorded values to `histogram`, one made by `createLatencyHistogram()`. Each bucket is
   * added at a value of its own — its lowest, but the true minimum in the minimum's bucket — and the
   * true maximum with a count of zero, so that the histogram's minimum and maximum are the values
   * recorded, as if they had been recorded there.
   */
  addTo(histogram: Histogram): void {
    if (this.total > 0) {
      const minIndex = this.minNonZero === Number.MAX_SAFE_INTEGER ? -1 : indexOf(this.minNonZero);
      for (let i = 0; i < COUNTS_LENGTH; i++) {
        const count = this.counts[i]!;
        if (count > 0) histogram.recordValueWithCount(i === minIndex ? this.minNonZero : lowestValueAt(i), count);
      }
      histogram.recordValueWithCount(this.max, 0);
    }
    for (const us of this.others) histogram.recordValue(us);
  }
}

/**
 * The counts index of a whole number of microseconds below 2^32, as hdr-histogram-js computes it:
 * bucket b = max(0, floor(log2 us) - 10), index b × 1024 + floor(us / 2^b).
 */
function indexOf(us: number): number {
  if (us < SUB_BUCKET_COUNT) return us;
  const bucket = 31 - HALF_BITS - Math.clz32(us);
  return (bucket << HALF_BITS) + (us >>> bucket);
}

/** The lowest value counted at `index`. */
function lowestValueAt(index: number): number {
  if (index < SUB_BUCKET_COUNT) return index;
  const bucket = (index >>> HALF_BITS) - 1;
  return ((index & ((1 << HALF_BITS) - 1)) + (1 << HALF_BITS)) * 2 ** bucket;
}
