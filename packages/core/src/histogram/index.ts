/**
 * HDR histogram helpers. Every latency in iobench is recorded in microseconds with 3 significant
 * digits, and crosses thread, process and host boundaries encoded (HdrHistogram's compressed V2
 * format, base64), so that it merges losslessly. This module is the one place they are built,
 * encoded, decoded, merged and summarised; a generator's hot loop records into a `LatencyRecorder`,
 * which turns into the same histogram.
 */
import * as hdr from 'hdr-histogram-js';
import type { EncodedHistogram, LatencySummary } from '../results/model.js';
import { LatencyRecorder } from './latency-recorder.js';

export type Histogram = hdr.Histogram;
export { LatencyRecorder };

/** Highest latency a histogram tracks without resizing: one hour, in microseconds. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

/** A new empty latency histogram (microseconds, 3 significant digits). */
export function createLatencyHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** A recorder's values as a latency histogram of their own: the one recording them there would have made. */
export function recordedHistogram(recorder: LatencyRecorder): Histogram {
  const histogram = createLatencyHistogram();
  recorder.addTo(histogram);
  return histogram;
}

export function encodeHistogram(histogram: Histogram | LatencyRecorder): EncodedHistogram {
  return hdr.encodeIntoCompressedBase64(
    histogram instanceof LatencyRecorder ? recordedHistogram(histogram) : histogram,
  );
}

export function decodeHistogram(encoded: EncodedHistogram): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Adds encoded histograms into one (exactly: counts per bucket are summed). */
export function mergeHistograms(encoded: Iterable<EncodedHistogram>): EncodedHistogram {
  const total = createLatencyHistogram();
  for (const e of encoded) total.add(decodeHistogram(e));
  return encodeHistogram(total);
}

/** Percentiles and moments of an encoded histogram, in microseconds. */
export function summariseHistogram(encoded: EncodedHistogram): LatencySummary {
  const h = decodeHistogram(encoded);
  const empty = h.totalCount === 0;
  const at = (p: number) => (empty ? 0 : h.getValueAtPercentile(p));
  return {
    p50: at(50),
    p75: at(75),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p99_9: at(99.9),
    p99_99: at(99.99),
    max: empty ? 0 : h.maxValue,
    min: empty ? 0 : h.minNonZeroValue,
    mean: empty ? 0 : round(h.mean),
    stddev: empty ? 0 : round(h.stdDeviation),
    hdr: encoded,
  };
}

/** The value at percentile `p` (0–100) of an encoded histogram, in microseconds; 0 when it is empty. */
export function percentileOf(encoded: EncodedHistogram, p: number): number {
  const h = decodeHistogram(encoded);
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p);
}

/** One bucket of a latency distribution: the requests whose latency was above the previous bucket's bound, up to `upToUs`. */
export interface LatencyBucket {
  upToUs: number;
  count: number;
}

/**
 * The distribution of an encoded histogram in `buckets` buckets spaced evenly on a log scale from
 * its minimum to its maximum (latency spans orders of magnitude: linear buckets, as hey draws them,
 * put nearly everything in the first and the tail in one or two); empty for an empty histogram.
 * The counts are exact: every recorded value is counted in the bucket its value falls in.
 */
export function latencyDistribution(encoded: EncodedHistogram, buckets = 10): LatencyBucket[] {
  const h = decodeHistogram(encoded) as hdr.JsHistogram;
  if (h.totalCount === 0) return [];
  const min = Math.max(1, h.minNonZeroValue);
  const max = Math.max(min, h.maxValue);
  const ratio = max / min;
  const bounds = Array.from({ length: buckets }, (_, i) =>
    i === buckets - 1 ? max : Math.round(min * ratio ** ((i + 1) / buckets)),
  );
  const out = [...new Set(bounds)].map((upToUs) => ({ upToUs, count: 0 }));
  const values = h.recordedValuesIterator;
  values.reset();
  let b = 0;
  while (values.hasNext()) {
    const step = values.next();
    // HDR keeps values to 3 significant digits: a value counts where its bucket's top falls.
    const value = Math.min(step.valueIteratedTo, max);
    while (b < out.length - 1 && value > out[b]!.upToUs) b++;
    out[b]!.count += step.countAtValueIteratedTo;
  }
  return out;
}

/** Total number of values recorded in an encoded histogram. */
export function histogramCount(encoded: EncodedHistogram): number {
  return decodeHistogram(encoded).totalCount;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
