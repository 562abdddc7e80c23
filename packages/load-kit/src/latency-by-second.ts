/**
 * A thread's latency histograms, one per second of the measured phase. The phase's histogram is
 * their sum, computed once at the end, so a response costs one `recordValue`, not two; a histogram is
 * allocated when a second's first response completes, never per response.
 */
import { createLatencyHistogram, encodeHistogram, type Histogram } from '@iobench/core/histogram';

export class LatencyBySecond {
  private readonly seconds: Histogram[] = [];

  /** Records `latencyUs` of a response completed in `second` (from the start of the phase). */
  record(second: number, latencyUs: number): void {
    let histogram = this.seconds[second];
    if (histogram === undefined) histogram = this.seconds[second] = createLatencyHistogram();
    histogram.recordValue(latencyUs);
  }

  /** The whole phase (the seconds added exactly) and each second, encoded; seconds with no response empty. */
  encode(): { latency: string; latencyPerSecond: string[] } {
    const phase = createLatencyHistogram();
    const latencyPerSecond = Array.from(this.seconds, (h) => {
      if (h === undefined) return encodeHistogram(createLatencyHistogram());
      phase.add(h);
      return encodeHistogram(h);
    });
    return { latency: encodeHistogram(phase), latencyPerSecond };
  }
}
