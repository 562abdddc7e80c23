/**
 * The requests every connection cycles through, laid out once as one buffer so that sending stays
 * one send(2) of prebuilt bytes: the list, then its first `pipelining - 1` requests again. Any
 * `pipelining` consecutive requests of the cycle — all a connection can have queued — are then one
 * contiguous range of it, and a range that has moved into the repeated tail is the same bytes one
 * cycle earlier. With one request this is `pipelining` copies of it.
 */

export class RequestCycle {
  /** The laid-out requests. */
  readonly bytes: Uint8Array;
  /** End offset in `bytes` of each laid-out request (the list's length + pipelining - 1 of them). */
  readonly ends: Int32Array;
  /** Requests in the list. */
  readonly count: number;
  /** Bytes of one pass over the list. */
  readonly cycleBytes: number;
  /** Byte length of each request of the list. */
  readonly lengths: Int32Array;
  /** By request of the list: a HEAD, whose response has no body. */
  readonly headOnly: readonly boolean[];
  /** The list mixes HEAD with other methods, so the framer is told per response. */
  readonly mixedHeadOnly: boolean;

  constructor(requests: readonly Uint8Array[], headOnly: readonly boolean[], pipelining: number) {
    if (requests.length === 0) throw new Error('a request cycle needs at least one request');
    this.count = requests.length;
    this.lengths = Int32Array.from(requests, (r) => r.length);
    this.headOnly = headOnly;
    this.mixedHeadOnly = headOnly.some((h) => h !== headOnly[0]);
    const laidOut = this.count + pipelining - 1;
    this.ends = new Int32Array(laidOut);
    let total = 0;
    for (let i = 0; i < laidOut; i++) {
      total += this.lengths[i % this.count]!;
      this.ends[i] = total;
    }
    this.cycleBytes = this.ends[this.count - 1]!;
    this.bytes = new Uint8Array(total);
    for (let i = 0; i < laidOut; i++)
      this.bytes.set(requests[i % this.count]!, this.ends[i]! - this.lengths[i % this.count]!);
  }
}
