/**
 * HDR histogram helpers. Every latency in iobench is recorded in microseconds with 3 significant
 * digits, and crosses thread, process and host boundaries encoded (HdrHistogram's compressed V2
 * format, base64), so that it merges losslessly. This module is the one place they are built,
 * encoded, decoded, merged and summarised.
 */
import * as hdr from 'hdr-histogram-js';
import type { EncodedHistogram, LatencySummary } from '../results/model.js';

export type Histogram = hdr.Histogram;

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

export function encodeHistogram(histogram: Histogram): EncodedHistogram {
  return hdr.encodeIntoCompressedBase64(histogram);
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

/** Total number of values recorded in an encoded histogram. */
export function histogramCount(encoded: EncodedHistogram): number {
  return decodeHistogram(encoded).totalCount;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
