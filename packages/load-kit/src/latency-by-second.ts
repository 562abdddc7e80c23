/**
 * A thread's latency histograms, one per second of the measured phase. The phase's histogram is
 * their sum, computed once at the end, so a response costs one `recordValue`, not two; a recorder is
 * allocated when a second's first response completes, never per response. A second's recorder
 * counts its responses too, so the per-second request series needs no counter of its own.
 */
import { createLatencyHistogram, encodeHistogram, LatencyRecorder, recordedHistogram } from '@iobench/core/histogram';

export class LatencyBySecond {
  private readonly seconds: LatencyRecorder[] = [];

  /** Records `latencyUs` of a response completed in `second` (from the start of the phase). */
  record(second: number, latencyUs: number): void {
    let recorder = this.seconds[second];
    if (recorder === undefined) recorder = this.seconds[second] = new LatencyRecorder();
    recorder.recordValue(latencyUs);
  }

  /** Responses recorded in each second, holes as zeros. */
  countsPerSecond(): number[] {
    return Array.from(this.seconds, (r) => r?.totalCount ?? 0);
  }

  /** The whole phase (the seconds added exactly) and each second, encoded; seconds with no response empty. */
  encode(): { latency: string; latencyPerSecond: string[] } {
    const phase = createLatencyHistogram();
    const latencyPerSecond = Array.from(this.seconds, (r) => {
      if (r === undefined) return encodeHistogram(createLatencyHistogram());
      const histogram = recordedHistogram(r);
      phase.add(histogram);
      return encodeHistogram(histogram);
    });
    return { latency: encodeHistogram(phase), latencyPerSecond };
  }
}
