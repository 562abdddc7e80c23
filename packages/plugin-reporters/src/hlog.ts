/**
 * HdrHistogram log export: one `.hlog` per point, in HdrHistogram's own interval log format, so
 * results open in HistogramLogAnalyzer, HistogramLogProcessor and friends. The measured phase is
 * one interval per second when the load generator kept a histogram per second (native, undici),
 * and one interval for the whole phase when it did not (wrk keeps one set of buckets per run).
 */
import { artifactStem, createLatencyHistogram, decodeHistogram, type PointResult } from '@iobench/core';
import { type Histogram, HistogramLogWriter } from 'hdr-histogram-js';

/** Tag of the interval holding the open model's latency measured from the actual send time. */
export const UNCORRECTED_TAG = 'uncorrected';

/** The log's file name for a point id: `node/undici/c8/r0` -> `node-undici-c8-r0.hlog`. */
export function hlogFileName(pointId: string): string {
  return `${artifactStem(pointId)}.hlog`;
}

/** One interval of the log: seconds from the start of the measured phase, and its histogram. */
interface Interval {
  startS: number;
  lengthS: number;
  histogram: Histogram;
}

/**
 * The log text for one point. The latency histograms (microseconds; corrected for coordinated
 * omission in the open model) are the untagged intervals that HdrHistogram's tools read by
 * default; the uncorrected one, when present, follows with `Tag=uncorrected`, for the whole phase.
 * Timestamps count from StartTime (= BaseTime), the start of the measured phase. Undefined for a
 * point that recorded nothing.
 */
export function renderHlog(point: PointResult): string | undefined {
  const latency = decodeHistogram(point.latencyUs.hdr);
  if (latency.totalCount === 0) return undefined;
  const endS = point.durationMs / 1000;
  const perSecond = secondIntervals(point, latency.totalCount);
  let text = '';
  const writer = new HistogramLogWriter((chunk) => {
    text += chunk;
  });
  writer.outputLogFormatVersion();
  const startMs = Date.parse(point.measuredStart?.at ?? point.startedAt);
  // Written by hand: the library's outputStartTime adds a stray blank line after the comment.
  if (Number.isFinite(startMs)) {
    const epochS = (startMs / 1000).toFixed(3);
    writer.outputComment(`[StartTime: ${epochS} (seconds since epoch), ${new Date(startMs).toISOString()}]`);
    writer.outputComment(`[BaseTime: ${epochS} (seconds since epoch)]`);
  }
  writer.outputComment(
    `[iobench point ${point.id}: server ${point.server}, load ${point.load}, ${point.params.connections} connections, repeat ${point.repeat}]`,
  );
  const intervals = perSecond
    ? 'one interval per second of the measured phase'
    : `one interval for the whole measured phase (${point.load} keeps no histogram per second)`;
  writer.outputComment(
    `[Values in microseconds; Interval_Max in milliseconds. ${point.requests} requests in ${point.durationMs} ms; ${intervals}.]`,
  );
  writer.outputLegend();
  // 1000 turns the microsecond max into milliseconds.
  for (const i of perSecond ?? [{ startS: 0, lengthS: endS, histogram: latency }])
    writer.outputIntervalHistogram(i.histogram, i.startS, i.startS + i.lengthS, 1000);
  if (point.latencyUncorrectedUs) {
    const uncorrected = decodeHistogram(point.latencyUncorrectedUs.hdr);
    uncorrected.tag = UNCORRECTED_TAG;
    writer.outputIntervalHistogram(uncorrected, 0, endS, 1000);
  }
  return text;
}

/**
 * An interval per second of the measured phase (the last one as long as what is left of it), or
 * undefined when the seconds' histograms do not account for every request (a generator without
 * them, or a merge with one).
 */
function secondIntervals(point: PointResult, total: number): Interval[] | undefined {
  const samples = [...(point.perSecond ?? [])].sort((a, b) => a.second - b.second);
  if (samples.length === 0 || samples.some((s) => s.requests > 0 && !s.latencyUs)) return undefined;
  const endS = point.durationMs / 1000;
  const intervals = samples.map((s) => ({
    startS: s.second,
    lengthS: Math.max(0, Math.min(1, endS - s.second)),
    // A second in which nothing completed stays in the log as an empty interval: the time axis keeps the gap.
    histogram: s.latencyUs ? decodeHistogram(s.latencyUs.hdr) : createLatencyHistogram(),
  }));
  const counted = intervals.reduce((n, i) => n + i.histogram.totalCount, 0);
  return counted === total ? intervals : undefined;
}
